using VmTeleport.Disks;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>
/// A disk whose data lives only in the given ranges; the rest are holes. Reading a hole fails the
/// test, so a reader that should skip holes (through GetExtents) is caught reading them.
/// </summary>
internal sealed class SparseBlockSource(byte[] bytes, IReadOnlyList<(long Offset, long Length)> data) : IBlockSource
{
    public string Description => "sparse.raw";

    public long Length => bytes.Length;

    public List<(long Offset, int Length)> Reads { get; } = [];

    public void ReadAt(long offset, Span<byte> buffer)
    {
        long end = offset + buffer.Length;
        for (long at = offset; at < end; at++)
        {
            if (!data.Any(d => at >= d.Offset && at < d.Offset + d.Length))
            {
                throw new InvalidOperationException($"read of hole byte 0x{at:x} (read 0x{offset:x}+0x{buffer.Length:x})");
            }
        }

        Reads.Add((offset, buffer.Length));
        bytes.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        long end = offset + length;
        long at = offset;
        foreach (var (start, len) in data.OrderBy(d => d.Offset))
        {
            long s = Math.Max(start, offset);
            long e = Math.Min(start + len, end);
            if (e <= s)
            {
                continue;
            }

            if (s > at)
            {
                yield return new DiskExtent(at, s - at, ExtentKind.Unallocated);
            }

            yield return new DiskExtent(s, e - s, ExtentKind.Data);
            at = e;
        }

        if (at < end)
        {
            yield return new DiskExtent(at, end - at, ExtentKind.Unallocated);
        }
    }

    public void Dispose()
    {
    }
}
