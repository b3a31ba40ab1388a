using VmTeleport.Content.Index;
using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Content.Planning;

/// <summary>
/// Package archives fetched on demand before planning: for every package of the source (name,
/// version, architecture) that no indexed .deb holds but an indexed APT repository lists, its
/// archive is fetched from the repository (checked against the Packages index's size and SHA-256)
/// and indexed, so that the plan can take the package's files from it. This is the mirror's
/// bandwidth, not the source link's: the report's "install from the distribution's repositories".
/// With --allow-newer, the archives of the packages the package plan chose newer from a repository too.
/// </summary>
public sealed record ArchiveFetch(int Fetched, long Bytes, IReadOnlyList<string> Failed)
{
    public static ArchiveFetch ForSource(ContentIndex index, IReadOnlyList<DpkgPackage> packages, CancellationToken cancel = default) =>
        ForSource(index, packages, [], cancel);

    /// <summary>As <see cref="ForSource(ContentIndex, IReadOnlyList{DpkgPackage}, CancellationToken)"/>, then the repository archives of the <see cref="PackageAction.Newer"/> choices.</summary>
    public static ArchiveFetch ForSource(ContentIndex index, IReadOnlyList<DpkgPackage> packages, IEnumerable<PackageChoice> choices, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(packages);
        var sources = index.Sources();
        static string Key(string name, string version, string arch) => $"{name}:{arch}={version}";
        var local = sources.Where(s => s.Kind == SourceKind.Deb)
            .SelectMany(s => index.PackagesOf(s.Id))
            .Select(p => Key(p.Name, p.Version, p.Architecture))
            .ToHashSet(StringComparer.Ordinal);
        var offered = new Dictionary<string, IndexedPackage>(StringComparer.Ordinal);
        foreach (var repo in sources.Where(s => s.Kind == SourceKind.AptRepository))
        {
            foreach (var p in index.PackagesOf(repo.Id).Where(p => p.ArchiveLocation is not null))
            {
                offered.TryAdd(Key(p.Name, p.Version, p.Architecture), p);
            }
        }

        var wanted = new List<(string Key, IndexedPackage Archive)>();
        foreach (var p in packages)
        {
            var key = Key(p.Name, p.Version, p.Architecture);
            if (!local.Contains(key) && offered.TryGetValue(key, out var archive))
            {
                wanted.Add((key, archive));
            }
        }

        foreach (var c in choices.Where(c => c.Action == PackageAction.Newer && c.FromKind == SourceKind.AptRepository && c.Package?.ArchiveLocation is not null))
        {
            var key = Key(c.Name, c.Version, c.Architecture);
            if (!local.Contains(key) && wanted.All(w => w.Key != key))
            {
                wanted.Add((key, c.Package!));
            }
        }

        int fetched = 0;
        long bytes = 0;
        var failed = new List<string>();
        foreach (var (key, archive) in wanted)
        {
            var result = index.FetchArchive(archive, cancel);
            if (result.Outcome == AddOutcome.Failed)
            {
                failed.Add($"{key}: {result.Error}");
                continue;
            }

            fetched++;
            bytes += archive.ArchiveSize ?? 0;
        }

        return new ArchiveFetch(fetched, bytes, failed);
    }
}
