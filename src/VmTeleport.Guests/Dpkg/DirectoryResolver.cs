using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// Resolves directory paths through a guest's symlinks (absolute targets from the guest's root,
/// at most <see cref="SymlinkResolver.MaxSymlinks"/> per lookup), listing each directory once.
/// dpkg's lists name tens of thousands of paths in a few thousand directories; resolving each
/// path from the root again would read the big directories of /usr thousands of times.
/// </summary>
internal sealed class DirectoryResolver
{
    private readonly IFileSystem _fs;
    private readonly Dictionary<string, string?> _resolved = new(StringComparer.Ordinal) { ["/"] = "/" };
    private readonly Dictionary<string, Dictionary<string, FileSystemEntry>> _listings = new(StringComparer.Ordinal);

    public DirectoryResolver(IFileSystem fs) => _fs = fs;

    /// <summary>The real path of the directory <paramref name="path"/> names, or null when it names no directory.</summary>
    public string? Resolve(string path) => Resolve(Normalize(path), 0);

    private string? Resolve(string path, int followed)
    {
        if (_resolved.TryGetValue(path, out var known))
        {
            return known;
        }

        int slash = path.LastIndexOf('/');
        var parent = Resolve(slash == 0 ? "/" : path[..slash], followed);
        string? result = null;
        if (parent is not null && Listing(parent).TryGetValue(path[(slash + 1)..], out var child))
        {
            var childPath = parent == "/" ? "/" + path[(slash + 1)..] : parent + "/" + path[(slash + 1)..];
            if (child.Type == EntryType.Directory)
            {
                result = childPath;
            }
            else if (child.Type == EntryType.Symlink && child.Target is { Length: > 0 } target && followed < SymlinkResolver.MaxSymlinks)
            {
                result = Resolve(Normalize(target.StartsWith('/') ? target : parent + "/" + target), followed + 1);
            }
        }

        // Results reached through symlinks depend on how many were followed only at the limit,
        // where the answer is "no directory" anyway, so caching them is safe.
        _resolved[path] = result;
        return result;
    }

    private Dictionary<string, FileSystemEntry> Listing(string dir)
    {
        if (!_listings.TryGetValue(dir, out var children))
        {
            children = new Dictionary<string, FileSystemEntry>(StringComparer.Ordinal);
            try
            {
                foreach (var e in _fs.ListDirectory(_fs.GetEntry(dir)))
                {
                    children[e.Path[(e.Path.LastIndexOf('/') + 1)..]] = e;
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                // A damaged directory resolves nothing below it; the paths stay as listed.
            }

            _listings[dir] = children;
        }

        return children;
    }

    /// <summary>"/a/./b/../c/" -> "/a/c"; ".." at the root stays at the root, as in the kernel.</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".")
            {
                continue;
            }

            if (p == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(p);
        }

        return "/" + string.Join('/', parts);
    }
}
