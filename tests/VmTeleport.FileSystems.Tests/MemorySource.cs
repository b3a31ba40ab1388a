using VmTeleport.Disks;

namespace VmTeleport.FileSystems.Tests;

/// <summary>An image held in memory, for tests that damage it many times over.</summary>
internal sealed class MemorySource(byte[] data, string description) : IBlockSource
{
    public string Description { get; } = description;

    public long Length => data.Length;

    public void ReadAt(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > Length - buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{Description}: read at 0x{offset:x}+0x{buffer.Length:x} past 0x{Length:x}");
        }

        data.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        yield return new DiskExtent(offset, length, ExtentKind.Data);
    }

    public void Dispose()
    {
    }
}
