namespace VmTeleport.Content.Index;

/// <summary>Where a file with a given content is: a source and the file's path in it.</summary>
public sealed record FileLocation
{
    public required long SourceId { get; init; }

    public required SourceKind Kind { get; init; }

    public required string Location { get; init; }

    public string? Snapshot { get; init; }

    /// <summary>Partition number for image files (0: whole disk); null for package files.</summary>
    public int? Volume { get; init; }

    /// <summary>Path inside the partition's filesystem, or the installed path of a package file.</summary>
    public required string Path { get; init; }

    /// <summary>Path in the guest's merged view, when the filesystem is mounted by fstab.</summary>
    public string? GuestPath { get; init; }

    public required long Size { get; init; }

    public required byte[] Sha256 { get; init; }

    /// <summary>MD5 of package files (dpkg's md5sums); null for image files.</summary>
    public byte[]? Md5 { get; init; }
}
