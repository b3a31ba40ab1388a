using System.Globalization;
using VmTeleport.Content.Index;
using VmTeleport.Content.Layout;
using VmTeleport.Content.Planning;
using VmTeleport.Guests;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Rebuild.Functional;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `pull --allow-newer`: a functional copy (docs/functional-copy.md). Before any content is
/// fetched, every package of the source is planned (<see cref="PackageSourcing"/>): exact version
/// at the destination, newer version in an archive of the same release, or its files sent exactly
/// — each with its reason. Newer packages' archives are fetched from their repositories; their old
/// files are not fetched at all; the rebuild installs them with the guest's dpkg in a chroot.
/// </summary>
public static partial class PullCommand
{
    /// <summary>The package plan of a functional copy and what it leaves out of the teleport.</summary>
    private sealed class NewerPlan
    {
        public required string Policy { get; init; }
        public required List<PackageChoice> Choices { get; init; }
        public required List<PackageUpgrade> Upgrades { get; set; }
        public required HashSet<string> Skipped { get; set; }
        public required Dictionary<int, string> MountPoints { get; init; }

        /// <summary>The source's package-modified files: laid down exactly, whatever a newer package ships.</summary>
        public required HashSet<string> Keep { get; init; }
        public Dictionary<string, string> Fallbacks { get; } = new(StringComparer.Ordinal);
        public long SkippedBytes { get; set; }
    }

    private static NewerPolicy ParsePolicy(string value) => value switch
    {
        "release" => NewerPolicy.Release,
        "security" => NewerPolicy.Security,
        _ => throw new UsageException($"--allow-newer takes release (the default) or security, not '{value}'"),
    };

    private static NewerPlan PlanNewer(Request q, AgentClient client, RemoteManifest manifest, DiskLayout layout, DescribedPackages described,
        ContentIndex index, PackChunkStore store, PhaseDisplay display)
    {
        var choices = PackageSourcing.Plan(index, described.Packages, described.Codename, ParsePolicy(q.AllowNewer!), described.AptUris).ToList();

        // Newer versions from a repository need their archive here before the rebuild can install them.
        var byName = described.Packages.ToDictionary(p => (p.Name, p.Architecture));
        var upgrades = new List<PackageUpgrade>();
        for (int i = 0; i < choices.Count; i++)
        {
            var c = choices[i];
            if (c.Action != PackageAction.Newer)
            {
                continue;
            }

            string? deb = c.FromKind == SourceKind.Deb ? c.From : null;
            if (deb is null && c.Package is { } package)
            {
                var fetched = index.FetchArchive(package);
                if (fetched.Outcome == AddOutcome.Failed)
                {
                    choices[i] = c with { Action = PackageAction.Wire, Version = c.SourceVersion, Reason = $"newer {c.Version} could not be fetched ({fetched.Error}); its files are sent exactly" };
                    continue;
                }

                deb = fetched.Location;
            }

            var p = byName[(c.Name, c.Architecture)];
            upgrades.Add(new PackageUpgrade(c.Name, c.Architecture, p.InfoName, c.SourceVersion, c.Version, deb!));
        }

        int exact = choices.Count(c => c.Action == PackageAction.Exact), newer = upgrades.Count, wire = choices.Count(c => c.Action == PackageAction.Wire);
        display.Log($"packages (--allow-newer {q.AllowNewer}): {exact} exact, {newer} newer, {wire} sent exactly");
        foreach (var c in choices.Where(c => c.Action != PackageAction.Exact))
        {
            display.Log(c.Action == PackageAction.Newer
                ? $"  newer: {c.Name} {c.SourceVersion} → {c.Version} ({c.Suite}, {c.From})"
                : $"  sent exactly: {c.Name} {c.SourceVersion}: {c.Reason}");
        }

        if (!described.ModifiedFilesComplete)
        {
            display.Log("warning: the description lists no (or not all) package-modified files; files changed in place in upgraded packages take the newer version");
        }

        var plan = new NewerPlan
        {
            Policy = q.AllowNewer!,
            Choices = choices,
            Upgrades = upgrades,
            Skipped = [],
            MountPoints = FunctionalRebuild.MountPointsOf(layout),
            Keep = described.ModifiedFiles.Select(m => m.Path).ToHashSet(StringComparer.Ordinal),
        };
        plan.Skipped = SkippedFiles(plan, upgrades, described, client, manifest, layout, store);
        plan.SkippedBytes = manifest.Items.Where(i => i.GuestPath is not null && plan.Skipped.Contains(i.GuestPath)).Sum(i => i.Size);
        display.Log(string.Create(CultureInfo.InvariantCulture,
            $"{plan.Skipped.Count} file(s) of the old versions ({Size.Format(plan.SkippedBytes)}) come from the newer packages instead"));
        return plan;
    }

    /// <summary>
    /// The source files the newer packages replace: regular files their source .list names,
    /// except conffiles and package-modified files (kept exactly). The .list files are the
    /// source's; they are fetched (or found locally) first, a few KB.
    /// </summary>
    private static HashSet<string> SkippedFiles(NewerPlan plan, IReadOnlyList<PackageUpgrade> upgrades, DescribedPackages described,
        AgentClient client, RemoteManifest manifest, DiskLayout layout, PackChunkStore store)
    {
        var resolver = GuestPathResolver.ForLayout(layout, plan.MountPoints);
        var files = manifest.Items.Where(i => i.GuestPath is not null).Select(i => i.GuestPath!).ToList();
        var byInfo = described.Packages.ToDictionary(p => p.InfoName, StringComparer.Ordinal);
        var lists = upgrades.ToDictionary(u => $"/var/lib/dpkg/info/{u.InfoName}.list", u => u, StringComparer.Ordinal);
        var items = manifest.Items.Where(i => i.GuestPath is not null && lists.ContainsKey(i.GuestPath)).ToList();
        var missing = items.SelectMany(i => i.Chunks).Where(c => !store.Contains(c.Id)).DistinctBy(c => c.Id).ToList();
        if (missing.Count > 0)
        {
            client.FetchChunksAsync(manifest, missing, store).GetAwaiter().GetResult();
        }

        var skipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            using var text = new MemoryStream();
            foreach (var c in item.Chunks)
            {
                text.Write(store.TryRead(c.Id, out var data) ? data : throw new IOException($"{item.GuestPath}: chunk {c.Id} is not in the store after fetching it"));
            }

            var u = lists[item.GuestPath!];
            var listed = DpkgInfoFiles.ListedPaths(System.Text.Encoding.UTF8.GetString(text.ToArray())).Select(resolver.Canonical);
            var conffiles = byInfo[u.InfoName].Conffiles.Select(c => resolver.Canonical(c.Path));
            skipped.UnionWith(FunctionalRebuild.SkippableFiles(listed, conffiles, files, plan.Keep));
        }

        return skipped;
    }

    /// <summary>The plan after dpkg refused some packages: those are sent exactly from now on.</summary>
    private static void FallBack(NewerPlan plan, IReadOnlyDictionary<string, string> failed, DescribedPackages described,
        AgentClient client, RemoteManifest manifest, DiskLayout layout, PackChunkStore store, PhaseDisplay display)
    {
        foreach (var (name, why) in failed)
        {
            plan.Fallbacks[name] = why;
            // A package dpkg refused, or one whose newer version names a refused one (rolled back with it).
            bool cascaded = why.StartsWith("rolled back with ", StringComparison.Ordinal);
            display.Log($"  sent exactly after all: {name}: " + (cascaded ? why : $"dpkg could not install the newer version: {why}"));
            int i = plan.Choices.FindIndex(c => c.Name == name && c.Action == PackageAction.Newer);
            if (i >= 0)
            {
                var c = plan.Choices[i];
                plan.Choices[i] = c with { Action = PackageAction.Wire, Version = c.SourceVersion, Reason = cascaded ? $"newer {c.Version} {why}; its files are sent exactly" : $"newer {c.Version} failed to install ({why}); its files are sent exactly" };
            }
        }

        plan.Upgrades = plan.Upgrades.Where(u => !failed.ContainsKey(u.Name)).ToList();
        plan.Skipped = SkippedFiles(plan, plan.Upgrades, described, client, manifest, layout, store);
        plan.SkippedBytes = manifest.Items.Where(i => i.GuestPath is not null && plan.Skipped.Contains(i.GuestPath)).Sum(i => i.Size);
    }

    private static Dictionary<string, object?> NewerJson(NewerPlan plan) => new()
    {
        ["policy"] = plan.Policy,
        ["exact"] = plan.Choices.Count(c => c.Action == PackageAction.Exact),
        ["newer"] = plan.Upgrades.Count,
        ["wire"] = plan.Choices.Count(c => c.Action == PackageAction.Wire),
        ["newer_package_bytes"] = plan.SkippedBytes,
        ["fallbacks"] = plan.Fallbacks,
        ["packages"] = PackagePlan.Json(plan.Choices),
    };
}
