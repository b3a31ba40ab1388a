using Microsoft.Win32.SafeHandles;

namespace VmTeleport.Disks.Raw;

/// <summary>
/// A raw disk image: the file's bytes are the disk's bytes. Holes of a sparse file are reported as
/// <see cref="ExtentKind.Unallocated"/> through lseek(SEEK_DATA/SEEK_HOLE), so a 100 GiB sparse file
/// costs a handful of system calls to map.
/// </summary>
internal sealed class RawImage : IBlockSource
{
    private readonly FileStream _file;

    public RawImage(string path, string description)
    {
        // Read-only and shared for reading: the image may be in use by other readers, never writers we know of.
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        Description = description;
        Length = RandomAccess.GetLength(_file.SafeFileHandle);
    }

    public string Description { get; }

    public long Length { get; }

    internal SafeFileHandle Handle => _file.SafeFileHandle;

    public void ReadAt(long offset, Span<byte> buffer)
    {
        BlockSourceGuard.CheckRange(this, offset, buffer.Length);
        HostFile.ReadFully(_file.SafeFileHandle, offset, buffer);
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        BlockSourceGuard.CheckRange(this, offset, length);
        return DiskExtents.Merge(MapHoles(offset, offset + length));
    }

    private IEnumerable<DiskExtent> MapHoles(long pos, long end)
    {
        while (pos < end)
        {
            long? data = LibC.Seek(_file.SafeFileHandle, pos, LibC.SeekData);
            if (data is null)
            {
                // No SEEK_DATA here: every byte counts as data, which is always correct, only slower.
                yield return new DiskExtent(pos, end - pos, ExtentKind.Data);
                yield break;
            }

            long dataStart = data.Value < 0 ? end : Math.Min(data.Value, end);
            if (dataStart > pos)
            {
                yield return new DiskExtent(pos, dataStart - pos, ExtentKind.Unallocated);
            }

            if (dataStart >= end)
            {
                yield break;
            }

            long? hole = LibC.Seek(_file.SafeFileHandle, dataStart, LibC.SeekHole);
            long dataEnd = hole is null || hole.Value < 0 ? end : Math.Min(hole.Value, end);
            if (dataEnd <= dataStart)
            {
                dataEnd = end;
            }

            yield return new DiskExtent(dataStart, dataEnd - dataStart, ExtentKind.Data);
            pos = dataEnd;
        }
    }

    public void Dispose() => _file.Dispose();
}
