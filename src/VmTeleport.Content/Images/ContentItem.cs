namespace VmTeleport.Content.Images;

/// <summary>
/// One piece of an image's content as <see cref="ImageContent.Walk"/> finds it: a regular file of
/// an ext filesystem, or a raw region of the disk outside the filesystems we read. Paths are given
/// twice: <see cref="Path"/> inside the file's own filesystem (always there, so the bytes can be
/// found again by partition and path), and <see cref="GuestPath"/> as the booted guest sees it
/// after fstab's mounts (null when fstab mounts that filesystem nowhere, or when the file is hidden
/// under another filesystem's mount point).
/// </summary>
public sealed record ContentItem
{
    public required ContentItemKind Kind { get; init; }

    /// <summary>Partition number (as the kernel numbers them), 0 for the whole disk, null for a region outside every partition.</summary>
    public int? Volume { get; init; }

    /// <summary>Files: the absolute path inside the volume's filesystem. Null for regions.</summary>
    public string? Path { get; init; }

    /// <summary>Files: the path in the guest's merged view (docs/manifest-format.md), or null.</summary>
    public string? GuestPath { get; init; }

    /// <summary>Regions: the byte offset on the virtual disk. Null for files.</summary>
    public long? DiskOffset { get; init; }

    /// <summary>Regions: where the bytes lie ("before the first partition", "partition 2 (swap)", …). Null for files.</summary>
    public string? Label { get; init; }

    /// <summary>Bytes of content: the file size (st_size) or the region length.</summary>
    public required long Size { get; init; }

    /// <summary>Files: the SHA-256 of the content (the manifest's sha256). Null for regions.</summary>
    public byte[]? Sha256 { get; init; }

    /// <summary>The content cut by FastCDC (default options) into chunks, in order; their lengths add up to <see cref="Size"/>.</summary>
    public required IReadOnlyList<ChunkSpan> Chunks { get; init; }
}
