using VmTeleport.Disks;

namespace VmTeleport.Content.Tests.Support;

/// <summary>
/// Bytes with an allocation map the test chooses; reading any byte of a Zero or Unallocated
/// extent fails the test, so a consumer that reads what the map says to skip is caught.
/// </summary>
internal sealed class ExtentBlockSource(byte[] bytes, IReadOnlyList<DiskExtent> extents) : IBlockSource
{
    public string Description => "extents";

    public long Length => bytes.Length;

    public long BytesRead { get; private set; }

    public void ReadAt(long offset, Span<byte> buffer)
    {
        foreach (var e in extents.Where(e => e.Kind != ExtentKind.Data))
        {
            Assert.False(offset < e.End && offset + buffer.Length > e.Offset,
                $"read of [{offset}, {offset + buffer.Length}) touches the {e.Kind} extent [{e.Offset}, {e.End})");
        }

        bytes.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
        BytesRead += buffer.Length;
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length) =>
        extents.Where(e => e.End > offset && e.Offset < offset + length)
            .Select(e => new DiskExtent(Math.Max(e.Offset, offset), Math.Min(e.End, offset + length) - Math.Max(e.Offset, offset), e.Kind));

    public void Dispose()
    {
    }
}
