namespace VmTeleport.Disks;

/// <summary>
/// A block source over bytes already in memory (a boot sector, a fuzz input, a disk built in a
/// test): every byte is <see cref="ExtentKind.Data"/>.
/// </summary>
public sealed class MemoryBlockSource(byte[] bytes, string description = "memory") : IBlockSource
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
