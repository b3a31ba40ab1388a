using VmTeleport.Disks;

namespace VmTeleport.Content.Index;

/// <summary>
/// Passes reads through and counts their bytes, so that "a second index add reads nothing" is a
/// number a test can check. Thread-safe: the walk reads files on several threads.
/// </summary>
internal sealed class CountingBlockSource(IBlockSource inner) : IBlockSource
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public string Description => inner.Description;

    public long Length => inner.Length;

    public void ReadAt(long offset, Span<byte> buffer)
    {
        inner.ReadAt(offset, buffer);
        Interlocked.Add(ref _bytesRead, buffer.Length);
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length) => inner.GetExtents(offset, length);

    public void Dispose() => inner.Dispose();
}
