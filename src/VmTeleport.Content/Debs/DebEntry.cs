namespace VmTeleport.Content.Debs;

/// <summary>
/// One entry of a package's data.tar, with its path as installed. <see cref="Content"/> reads a
/// regular file's bytes; it is valid only until the enumeration moves to the next entry, because
/// the archive is read forward once.
/// </summary>
public sealed class DebEntry
{
    internal DebEntry(string path, DebEntryType type, UnixFileMode mode, int uid, int gid, long size,
        DateTimeOffset modificationTime, string? linkTarget, Stream? content)
    {
        Path = path;
        Type = type;
        Mode = mode;
        Uid = uid;
        Gid = gid;
        Size = size;
        ModificationTime = modificationTime;
        LinkTarget = linkTarget;
        Content = content;
    }

    /// <summary>The installed path: begins with "/", no trailing "/", no "." or ".." components.</summary>
    public string Path { get; }

    public DebEntryType Type { get; }

    /// <summary>Permission bits with setuid, setgid and sticky.</summary>
    public UnixFileMode Mode { get; }

    public int Uid { get; }

    public int Gid { get; }

    /// <summary>Bytes of content: the file size for regular files, 0 for everything else.</summary>
    public long Size { get; }

    public DateTimeOffset ModificationTime { get; }

    /// <summary>A symlink's target as stored (may be relative); a hard link's normalized path.</summary>
    public string? LinkTarget { get; }

    /// <summary>The regular file's bytes (forward only, until the next entry); null for other types.</summary>
    public Stream? Content { get; }

    public override string ToString() => $"{Type} {Path}";
}
