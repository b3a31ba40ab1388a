using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Volumes;

/// <summary>
/// A guest's filesystems merged at their mount points into one read-only view of "/", as the
/// booted guest would see it. Entries of a mounted filesystem carry guest paths; the mount point
/// itself shows the mounted filesystem's root, as the kernel shows it. The view does not own
/// the filesystems.
/// </summary>
public sealed class GuestView : IFileSystem
{
    private readonly IFileSystem _root;

    // Longest mount point first, so that /var/lib/x wins over /var and / in Locate.
    private readonly (string MountPoint, IFileSystem Fs)[] _mounts;

    public GuestView(IFileSystem root, IEnumerable<(string MountPoint, IFileSystem FileSystem)> mounts)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(mounts);
        _root = root;
        _mounts = [.. mounts.Where(m => m.MountPoint != "/")
            .Select(m => (Normalize(m.MountPoint), m.FileSystem))
            .Append(("/", root))
            .OrderByDescending(m => m.Item1.Length)];
        if (_mounts.Select(m => m.MountPoint).Distinct(StringComparer.Ordinal).Count() != _mounts.Length)
        {
            throw new ArgumentException("two filesystems are mounted at the same mount point", nameof(mounts));
        }
    }

    /// <summary>The mount points other than "/", in path order.</summary>
    public IReadOnlyList<string> MountPoints => [.. _mounts.Select(m => m.MountPoint).Where(m => m != "/").Order(StringComparer.Ordinal)];

    public string Type => _root.Type;

    public Guid Uuid => _root.Uuid;

    public string Label => _root.Label;

    public IReadOnlyList<string> Warnings => [.. _mounts.SelectMany(m => m.Fs.Warnings)];

    public FileSystemEntry Root => _root.Root;

    /// <summary>The mount point of the filesystem that holds <paramref name="path"/> ("/" for the root filesystem).</summary>
    public string MountPointOf(string path) => Locate(Normalize(path)).MountPoint;

    public FileSystemEntry GetEntry(string path)
    {
        var normalized = Normalize(path);
        var (mp, fs, inner) = Locate(normalized);
        var e = fs.GetEntry(inner);
        return mp == "/" ? e : e.WithPath(normalized);
    }

    public IEnumerable<FileSystemEntry> ListDirectory(FileSystemEntry directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var (mp, fs, inner) = Locate(directory.Path);
        var children = fs.ListDirectory(mp == "/" ? directory : directory.WithPath(inner));
        foreach (var c in children)
        {
            var guestPath = mp == "/" ? c.Path : mp + c.Path;
            var mounted = _mounts.FirstOrDefault(m => m.MountPoint == guestPath);
            if (mounted.Fs is not null && mounted.MountPoint != "/")
            {
                yield return mounted.Fs.Root.WithPath(guestPath);
            }
            else
            {
                yield return mp == "/" ? c : c.WithPath(guestPath);
            }
        }
    }

    public IEnumerable<FileSystemEntry> Walk()
    {
        var stack = new Stack<FileSystemEntry>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            yield return e;
            if (e.Type == EntryType.Directory)
            {
                var children = ListDirectory(e).ToList();
                for (int i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }
    }

    public Stream OpenRead(FileSystemEntry file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var (mp, fs, inner) = Locate(file.Path);
        return fs.OpenRead(mp == "/" ? file : file.WithPath(inner));
    }

    public IEnumerable<FileRange> GetDataRanges(FileSystemEntry file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var (mp, fs, inner) = Locate(file.Path);
        return fs.GetDataRanges(mp == "/" ? file : file.WithPath(inner));
    }

    /// <summary>The filesystems belong to whoever mounted them here; the view holds nothing of its own.</summary>
    public void Dispose()
    {
    }

    private (string MountPoint, IFileSystem Fs, string Inner) Locate(string path)
    {
        foreach (var (mp, fs) in _mounts)
        {
            if (mp == "/")
            {
                return (mp, fs, path);
            }

            if (path == mp)
            {
                return (mp, fs, "/");
            }

            if (path.Length > mp.Length && path[mp.Length] == '/' && path.StartsWith(mp, StringComparison.Ordinal))
            {
                return (mp, fs, path[mp.Length..]);
            }
        }

        throw new InvalidOperationException("the root mount always matches");
    }

    private static string Normalize(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', parts);
    }
}
