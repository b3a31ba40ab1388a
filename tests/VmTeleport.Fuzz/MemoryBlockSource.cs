using VmTeleport.Disks;

namespace VmTeleport.Fuzz;

/// <summary>A block source over bytes in memory: fuzz inputs need no file.</summary>
public sealed class MemoryBlockSource(byte[] data, string description = "fuzz input") : IBlockSource
{
    public string Description => description;

    public long Length => data.Length;

    public void ReadAt(long offset, Span<byte> buffer)
    {
        BlockSourceGuard.CheckRange(this, offset, buffer.Length);
        data.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        BlockSourceGuard.CheckRange(this, offset, length);
        if (length > 0)
        {
            yield return new DiskExtent(offset, length, ExtentKind.Data);
        }
    }

    public void Dispose()
    {
    }
}
