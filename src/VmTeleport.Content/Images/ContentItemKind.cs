namespace VmTeleport.Content.Images;

/// <summary>What a <see cref="ContentItem"/> is.</summary>
public enum ContentItemKind
{
    /// <summary>A regular file of a filesystem VM Teleport reads (ext2/3/4).</summary>
    File,

    /// <summary>Allocated, non-zero bytes of the disk outside such filesystems (boot code, gaps, ESP, swap, unknown partitions).</summary>
    Region,
}
