namespace VmTeleport.FileSystems;

/// <summary>
/// One entry of a filesystem with the metadata lstat(2) and listxattr(2) would report for it.
/// </summary>
public sealed class FileSystemEntry
{
    /// <summary>Absolute path inside the filesystem; "/" for the root.</summary>
    public required string Path { get; init; }

    public required EntryType Type { get; init; }

    /// <summary>Permission bits including setuid, setgid and sticky (mode &amp; 07777).</summary>
    public required int Mode { get; init; }

    public required uint Uid { get; init; }

    public required uint Gid { get; init; }

    /// <summary>Size in bytes (st_size).</summary>
    public required long Size { get; init; }

    /// <summary>Modification time in nanoseconds since the Unix epoch.</summary>
    public required long MtimeNs { get; init; }

    public long AtimeNs { get; init; }

    public long CtimeNs { get; init; }

    /// <summary>Creation (birth) time, when the filesystem records one.</summary>
    public long? BirthTimeNs { get; init; }

    public required uint LinkCount { get; init; }

    public required ulong Inode { get; init; }

    /// <summary>Symlink target, for symlinks.</summary>
    public string? Target { get; init; }

    /// <summary>Device major number, for character and block devices.</summary>
    public uint RdevMajor { get; init; }

    /// <summary>Device minor number, for character and block devices.</summary>
    public uint RdevMinor { get; init; }

    /// <summary>Inode flags as stored (ext4: i_flags), for callers that restore them.</summary>
    public uint Flags { get; init; }

    public IReadOnlyList<ExtendedAttribute> ExtendedAttributes { get; init; } = [];

    /// <summary>
    /// The same entry under another path: for views that show a filesystem somewhere else than
    /// at its own root (a guest's /boot or /var filesystem merged at its mount point).
    /// </summary>
    public FileSystemEntry WithPath(string path) => new()
    {
        Path = path,
        Type = Type,
        Mode = Mode,
        Uid = Uid,
        Gid = Gid,
        Size = Size,
        MtimeNs = MtimeNs,
        AtimeNs = AtimeNs,
        CtimeNs = CtimeNs,
        BirthTimeNs = BirthTimeNs,
        LinkCount = LinkCount,
        Inode = Inode,
        Target = Target,
        RdevMajor = RdevMajor,
        RdevMinor = RdevMinor,
        Flags = Flags,
        ExtendedAttributes = ExtendedAttributes,
    };
}
