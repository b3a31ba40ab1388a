using VmTeleport.Disks;

namespace VmTeleport.FileSystems;

/// <summary>Recognises the filesystems VM Teleport can read; detection apart from opening.</summary>
public static class FileSystemProbe
{
    /// <summary>"ext2", "ext3", "ext4" when the source holds one we can read, else null (not an error).</summary>
    public static string? Detect(IBlockSource source) =>
        throw new NotSupportedException($"{source.Description}: ext readers land with issue 2");

    /// <summary>Opens the filesystem on <paramref name="source"/>; throws InvalidDataException/NotSupportedException naming what is wrong.</summary>
    public static IFileSystem Open(IBlockSource source) =>
        throw new NotSupportedException($"{source.Description}: ext readers land with issue 2");
}
