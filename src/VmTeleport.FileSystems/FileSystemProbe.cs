using VmTeleport.Disks;
using VmTeleport.FileSystems.Ext;

namespace VmTeleport.FileSystems;

/// <summary>Recognises the filesystems VM Teleport can read; detection apart from opening.</summary>
public static class FileSystemProbe
{
    /// <summary>"ext2", "ext3", "ext4" when the source holds one we can read, else null (not an error).</summary>
    public static string? Detect(IBlockSource source) => Ext4FileSystem.Detect(source);

    /// <summary>Opens the filesystem on <paramref name="source"/>; throws InvalidDataException/NotSupportedException naming what is wrong.</summary>
    public static IFileSystem Open(IBlockSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Detect(source) is null)
        {
            throw new InvalidDataException($"{source.Description}: no ext2/ext3/ext4 superblock (magic 0xef53 at 0x438) found");
        }

        return Ext4FileSystem.Open(source);
    }
}
