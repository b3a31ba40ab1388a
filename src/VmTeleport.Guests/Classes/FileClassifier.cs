using VmTeleport.FileSystems;
using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Guests.Classes;

/// <summary>
/// Gives every entry of a guest its class (docs/file-classes.md) and keeps the totals. Ownership
/// decides first: an owned regular file is <c>package</c> when its md5 equals one its owners
/// shipped, <c>package-modified</c> otherwise (also when no owner recorded an md5, since then
/// nothing proves it unchanged); owned entries of other types are <c>package</c>. Unowned entries
/// are <c>ephemeral</c> where the policy says so, <c>unowned</c> otherwise. Not thread-safe:
/// call <see cref="Classify"/> in walk order from one thread.
/// </summary>
public sealed class FileClassifier
{
    private readonly DpkgDatabase? _db;
    private readonly ClassPolicy _policy;
    private readonly HashSet<string> _seenOwned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unverifiable = new(StringComparer.Ordinal);

    public FileClassifier(DpkgDatabase? db, ClassPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _db = db;
        _policy = policy;
    }

    public Dictionary<FileClass, ClassTotals> Totals { get; } = FileClasses.All.ToDictionary(c => c, _ => new ClassTotals());

    /// <summary>Totals per top-level directory ("/usr", "/etc", …; "/" for the root directory itself and files directly in it).</summary>
    public SortedDictionary<string, Dictionary<FileClass, ClassTotals>> TotalsByDirectory { get; } = new(StringComparer.Ordinal);

    /// <summary>Owned regular files whose content nothing could check, per package.</summary>
    public IReadOnlyDictionary<string, int> Unverifiable => _unverifiable;

    /// <summary>Whether <see cref="Classify"/> needs the md5 of this entry's content.</summary>
    public bool NeedsMd5(FileSystemEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _db is not null && entry.Type == EntryType.File && _db.OwnersOf(entry.Path).Any(o => o.Md5 is not null);
    }

    /// <param name="entry">The entry, with its guest path.</param>
    /// <param name="md5">Lower-case hex md5 of a regular file's content when <see cref="NeedsMd5"/> said so.</param>
    public ClassifiedEntry Classify(FileSystemEntry entry, string? md5)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var result = Decide(entry, md5);
        Count(entry, result.Class);
        return result;
    }

    /// <summary>Paths packages list that the walk did not meet (deleted since), with their first owner; call after the walk.</summary>
    public IEnumerable<(string Path, string Package)> Missing()
    {
        if (_db is null)
        {
            yield break;
        }

        foreach (var path in _db.OwnedPaths.Where(p => !_seenOwned.Contains(p)).Order(StringComparer.Ordinal))
        {
            yield return (path, _db.OwnersOf(path)[0].Package);
        }
    }

    private ClassifiedEntry Decide(FileSystemEntry entry, string? md5)
    {
        var owners = _db?.OwnersOf(entry.Path) ?? [];
        if (owners.Count > 0)
        {
            _seenOwned.Add(entry.Path);
            if (entry.Type != EntryType.File)
            {
                // A package that shipped a regular file here cannot be matched by anything else.
                return owners.Any(o => o.Md5 is not null)
                    ? new(FileClass.PackageModified, owners[0].Package)
                    : new(FileClass.Package, owners[0].Package);
            }

            if (md5 is not null)
            {
                foreach (var o in owners)
                {
                    if (o.Md5 == md5)
                    {
                        return new(FileClass.Package, o.Package);
                    }
                }
            }

            if (owners.All(o => o.Md5 is null))
            {
                _unverifiable[owners[0].Package] = _unverifiable.GetValueOrDefault(owners[0].Package) + 1;
            }

            return new(FileClass.PackageModified, owners[0].Package);
        }

        return new(_policy.IsEphemeral(entry.Path) ? FileClass.Ephemeral : FileClass.Unowned, null);
    }

    private void Count(FileSystemEntry entry, FileClass c)
    {
        long bytes = entry.Type == EntryType.File ? entry.Size : 0;
        var t = Totals[c];
        t.Count++;
        t.Bytes += bytes;
        int second = entry.Path.IndexOf('/', 1);
        var top = entry.Path == "/" ? "/" : second < 0 ? (IsDirectory(entry) ? entry.Path : "/") : entry.Path[..second];
        if (!TotalsByDirectory.TryGetValue(top, out var byClass))
        {
            TotalsByDirectory[top] = byClass = FileClasses.All.ToDictionary(x => x, _ => new ClassTotals());
        }

        byClass[c].Count++;
        byClass[c].Bytes += bytes;
    }

    private static bool IsDirectory(FileSystemEntry e) => e.Type == EntryType.Directory;
}
