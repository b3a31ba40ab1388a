using VmTeleport.Content.Index;
using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Content.Planning;

/// <summary>
/// The package plan (docs/planning.md, "Newer packages"): for every package of the source, the
/// destination takes its exact version from local data when some indexed source holds it (a .deb
/// or repository first: an archive lets a rebuild reinstall it), else, when the policy allows, the
/// newest newer version that an allowed suite of the source's own release offers, else the
/// package's files are sent as they are, with the reason nothing local would do.
/// </summary>
public static class PackageSourcing
{
    /// <summary>
    /// One choice per package of <paramref name="packages"/>, in their order; packages dpkg lists
    /// without files installed (config-files, not-installed) are left out. <paramref name="codename"/>
    /// is the source's release ("bookworm"; null when unknown: nothing newer is then allowed).
    /// <paramref name="sourceAptUris"/>, the source's APT source URIs (the description's
    /// apt.sources), name a third-party repository when a package is nowhere at the destination.
    /// </summary>
    public static IReadOnlyList<PackageChoice> Plan(
        ContentIndex index, IEnumerable<DpkgPackage> packages, string? codename, NewerPolicy policy, IEnumerable<string>? sourceAptUris = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(packages);
        var installed = packages.Where(p => p.State is not ("config-files" or "not-installed")).ToList();
        var held = index.PackagesNamed(installed.Select(p => p.Name))
            .GroupBy(h => h.Package.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var thirdParty = ThirdPartyUris(index, sourceAptUris ?? []);
        return installed
            .Select(p => Choose(p.Name, p.Architecture, p.Version, held.GetValueOrDefault(p.Name) ?? [], codename, policy, thirdParty))
            .ToList();
    }

    /// <summary>Whether a suite may give newer packages under the policy (its release checked apart).</summary>
    public static bool Allows(NewerPolicy policy, string suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return policy switch
        {
            NewerPolicy.Release => !suite.EndsWith("-backports", StringComparison.Ordinal) && !suite.EndsWith("-proposed-updates", StringComparison.Ordinal)
                                   && !suite.EndsWith("-backports-sloppy", StringComparison.Ordinal),
            NewerPolicy.Security => suite.EndsWith("-security", StringComparison.Ordinal) || suite.EndsWith("-updates", StringComparison.Ordinal),
            _ => false,
        };
    }

    private static PackageChoice Choose(
        string name, string arch, string version, List<PackageLocation> holders, string? codename, NewerPolicy policy, IReadOnlyList<string> thirdParty)
    {
        DebianVersion.TryParse(version, out var wanted);
        var sameArch = holders.Where(h => h.Package.Architecture == arch).ToList();
        var choice = new PackageChoice { Name = name, Architecture = arch, SourceVersion = version, Version = version, Action = PackageAction.Wire, Reason = "" };

        var exact = sameArch.Where(h => h.Package.Version == version || (wanted is not null && Same(h.Package.Version, wanted))).ToList();
        if (exact.Count > 0)
        {
            // A .deb at hand, then a repository's archive (fetched once), then an image's installed copy.
            var best = exact.OrderBy(h => h.Kind == SourceKind.Deb ? 0 : h.HasArchive ? 1 : 2).ThenBy(h => h.SourceId).First();
            var why = best.Kind switch
            {
                SourceKind.Deb => $"exact version in {best.From}",
                SourceKind.AptRepository when best.HasArchive => $"exact version in the repository {best.Location}{InSuite(best)}",
                _ => $"exact version installed in {best.From} (no archive: its files come from that image)",
            };
            return choice with { Action = PackageAction.Exact, From = best.From, FromKind = best.Kind, Suite = best.Package.Suite, Package = best.Package, Reason = why };
        }

        // Archives of newer versions, newest first (a .deb before a repository at the same version).
        var newer = wanted is null ? [] : sameArch
            .Where(h => h.HasArchive)
            .Select(h => (Holder: h, Version: DebianVersion.TryParse(h.Package.Version, out var v) ? v : null))
            .Where(x => x.Version is not null && x.Version.CompareTo(wanted) > 0)
            .OrderByDescending(x => x.Version!)
            .ThenBy(x => x.Holder.Kind == SourceKind.Deb ? 0 : 1)
            .ThenBy(x => x.Holder.SourceId)
            .Select(x => x.Holder)
            .ToList();
        bool SameRelease(PackageLocation h) => h.Package.Suite is { } s && codename is not null && AptSuites.Codename(s) == codename;
        if (policy != NewerPolicy.None && newer.FirstOrDefault(h => SameRelease(h) && Allows(policy, h.Package.Suite!)) is { } pick)
        {
            return choice with
            {
                Action = PackageAction.Newer,
                Version = pick.Package.Version,
                From = pick.From,
                FromKind = pick.Kind,
                Suite = pick.Package.Suite,
                Package = pick.Package,
                Reason = $"newer {pick.Package.Version} from {pick.Package.Suite} ({pick.From})",
            };
        }

        return choice with { Reason = WhyWire(version, arch, holders, sameArch, newer, codename, policy, thirdParty, SameRelease) };
    }

    /// <summary>The reason nothing local will do, the one closest to a usable package first.</summary>
    private static string WhyWire(
        string version, string arch, List<PackageLocation> holders, List<PackageLocation> sameArch, List<PackageLocation> newer,
        string? codename, NewerPolicy policy, IReadOnlyList<string> thirdParty, Func<PackageLocation, bool> sameRelease)
    {
        if (newer.Count > 0)
        {
            var top = newer[0];
            if (policy == NewerPolicy.None)
            {
                return $"version {version} missing at the destination; newer {top.Package.Version} in {top.From} needs --allow-newer";
            }

            if (newer.FirstOrDefault(sameRelease) is { } other)
            {
                return $"newer {other.Package.Version} only in suite {other.Package.Suite}, which --allow-newer {Name(policy)} does not allow";
            }

            if (newer.FirstOrDefault(h => h.Package.Suite is null) is { } unknown)
            {
                return $"newer {unknown.Package.Version} in {unknown.From} whose release is unknown (index it with --suite)";
            }

            return $"newer {top.Package.Version} is for release {AptSuites.Codename(top.Package.Suite!)}, not the source's {codename ?? "(unknown)"}";
        }

        if (sameArch.Count > 0)
        {
            var newest = sameArch
                .Select(h => (Holder: h, Version: DebianVersion.TryParse(h.Package.Version, out var v) ? v : null))
                .Where(x => x.Version is not null)
                .OrderByDescending(x => x.Version!)
                .Select(x => x.Holder)
                .FirstOrDefault() ?? sameArch[0];
            bool older = DebianVersion.TryParse(version, out var wanted) && DebianVersion.TryParse(newest.Package.Version, out var found) && found.CompareTo(wanted) < 0;
            return older
                ? $"version {version} missing at the destination; newest there is {newest.Package.Version} (older)"
                : $"version {version} missing at the destination; {newest.Package.Version} is only installed in {newest.From} (no archive to install it from)";
        }

        if (holders.Count > 0)
        {
            return $"version {version} missing at the destination; it has the package only for {string.Join(", ", holders.Select(h => h.Package.Architecture).Distinct().Order(StringComparer.Ordinal))}, not {arch}";
        }

        return thirdParty.Count > 0
            ? $"not in any destination archive; only in the source's third-party repository {string.Join(", ", thirdParty)}"
            : "not in any destination archive";
    }

    /// <summary>The source's APT URIs that are neither Debian's (*.debian.org) nor one of the destination's indexed repositories.</summary>
    private static List<string> ThirdPartyUris(ContentIndex index, IEnumerable<string> uris)
    {
        var list = uris.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return list;
        }

        var repositories = index.Sources().Where(s => s.Kind == SourceKind.AptRepository).Select(s => s.Location).ToList();
        return list.Where(uri =>
        {
            // A file:// source names a local path, as an indexed repository's location is kept.
            var root = (uri.StartsWith("file://", StringComparison.Ordinal) ? uri["file://".Length..] : uri).TrimEnd('/');
            if (Uri.TryCreate(root, UriKind.Absolute, out var u) && u.Host is { Length: > 0 } host
                && (host == "debian.org" || host.EndsWith(".debian.org", StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            return !repositories.Any(r => r.StartsWith(root + "/", StringComparison.Ordinal) || r == root);
        }).ToList();
    }

    private static bool Same(string version, DebianVersion wanted) =>
        DebianVersion.TryParse(version, out var v) && v.CompareTo(wanted) == 0;

    private static string InSuite(PackageLocation h) => h.Package.Suite is { } s ? $" ({s})" : "";

    private static string Name(NewerPolicy policy) => policy.ToString().ToLowerInvariant();
}
