using Microsoft.Win32.SafeHandles;
using VmTeleport.Disks;

namespace VmTeleport.FileSystems.Tests;

/// <summary>A raw image file as a block source, for these tests only (the real one lives in VmTeleport.Disks).</summary>
internal sealed class RawFileSource : IBlockSource
{
    private readonly SafeFileHandle _handle;

    public RawFileSource(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Length = RandomAccess.GetLength(_handle);
        Description = Path.GetFileName(path);
    }

    public string Description { get; }

    public long Length { get; }

    public void ReadAt(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > Length - buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{Description}: read at 0x{offset:x}+0x{buffer.Length:x} past 0x{Length:x}");
        }

        while (!buffer.IsEmpty)
        {
            var n = RandomAccess.Read(_handle, buffer, offset);
            if (n <= 0)
            {
                throw new IOException($"{Description}: short read at 0x{offset:x}");
            }

            buffer = buffer[n..];
            offset += n;
        }
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        yield return new DiskExtent(offset, length, ExtentKind.Data);
    }

    public void Dispose() => _handle.Dispose();
}
