namespace VmTeleport.Disks.Tests;

/// <summary>A block source over a byte array, for tests that mutate disks in memory.</summary>
internal sealed class MemoryBlockSource(byte[] bytes, string description) : IBlockSource
{
    public string Description { get; } = description;

    public long Length => bytes.Length;

    public void ReadAt(long offset, Span<byte> buffer)
    {
        BlockSourceGuard.CheckRange(this, offset, buffer.Length);
        bytes.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        BlockSourceGuard.CheckRange(this, offset, length);
        return length == 0 ? [] : [new DiskExtent(offset, length, ExtentKind.Data)];
    }

    public void Dispose()
    {
    }
}
