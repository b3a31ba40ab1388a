using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Apt;

/// <summary>
/// A small guest filesystem for a test: files and symlinks written to a scratch folder, turned into
/// an ext4 image by mkfs.ext4 -d and opened with VM Teleport's own reader.
/// </summary>
internal sealed class GuestTree : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-guest-").FullName;
    private IBlockSource? _disk;
    private IFileSystem? _fs;

    private string Root => Path.Combine(_dir, "root");

    public GuestTree File(string path, string content) => File(path, System.Text.Encoding.UTF8.GetBytes(content));

    public GuestTree File(string path, byte[] content)
    {
        var full = Local(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllBytes(full, content);
        return this;
    }

    public GuestTree Folder(string path)
    {
        Directory.CreateDirectory(Local(path));
        return this;
    }

    public GuestTree Symlink(string path, string target)
    {
        var full = Local(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.CreateSymbolicLink(full, target);
        return this;
    }

    /// <summary>Builds the image (once) and returns its filesystem.</summary>
    public IFileSystem Open()
    {
        if (_fs is not null)
        {
            return _fs;
        }

        Directory.CreateDirectory(Root);
        var image = Path.Combine(_dir, "guest.raw");
        ExternalCommand.Check("mkfs.ext4", "-q", "-F", "-d", Root, image, "8M");
        _disk = DiskImage.Open(image);
        _fs = FileSystemProbe.Open(_disk);
        return _fs;
    }

    public void Dispose()
    {
        _fs?.Dispose();
        _disk?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Local(string guestPath) => Path.Combine(Root, guestPath.TrimStart('/'));
}
