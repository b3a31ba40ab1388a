using VmTeleport.Content.Layout;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// Canonical guest paths for what dpkg's .list files name: a package ships ./sbin/ifup, the list
/// says /sbin/ifup, but on a merged-/usr guest /sbin is a symlink to usr/sbin and the file's walk
/// path is /usr/sbin/ifup. Every directory component that is a symlink is replaced by its target
/// (relative targets against their parent); the last component is kept, since a package may ship
/// a symlink itself. Loops end after 40 substitutions, like the kernel's.
/// </summary>
public sealed class GuestPathResolver(Func<string, string?> readLink)
{
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    /// <summary>Resolves through the symlinks of a disk layout's volumes, each at its guest mount point.</summary>
    public static GuestPathResolver ForLayout(DiskLayout layout, IReadOnlyDictionary<int, string> mountPoints)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(mountPoints);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in layout.Volumes)
        {
            if (!mountPoints.TryGetValue(volume.Number, out var mount))
            {
                continue;
            }

            foreach (var e in volume.Entries.Where(e => e.Type == EntryType.Symlink && e.Target is not null))
            {
                links[mount == "/" ? e.Path : mount.TrimEnd('/') + e.Path] = e.Target!;
            }
        }

        return new GuestPathResolver(links.GetValueOrDefault);
    }

    public string Canonical(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length <= 1)
        {
            return "/";
        }

        var slash = path.LastIndexOf('/');
        var parent = slash <= 0 ? "/" : Directory(path[..slash]);
        return (parent == "/" ? "" : parent) + path[slash..];
    }

    private string Directory(string path)
    {
        if (_cache.TryGetValue(path, out var known))
        {
            return known;
        }

        var parts = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var resolved = new List<string>();
        int links = 0;
        while (parts.Count > 0)
        {
            var part = parts.Dequeue();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = "/" + string.Join('/', resolved.Append(part));
            var target = readLink(candidate);
            if (target is null || ++links > 40)
            {
                resolved.Add(part);
                continue;
            }

            // Resolve the target, then the components still to come, from where the link points.
            var rest = parts.ToList();
            parts.Clear();
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest))
            {
                parts.Enqueue(p);
            }
        }

        var result = "/" + string.Join('/', resolved);
        _cache[path] = result;
        return result;
    }
}
