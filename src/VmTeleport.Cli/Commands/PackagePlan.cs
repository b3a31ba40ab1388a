using System.Text.Json.Nodes;
using VmTeleport.Content.Planning;
using VmTeleport.Disks;
using VmTeleport.Guests;
using VmTeleport.Guests.Apt;
using VmTeleport.Guests.Classes;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// plan's package side (docs/planning.md, "Newer packages"): what the source guest's APT
/// sources are, which of its files a newer package replaces, and the per-package table.
/// </summary>
internal static class PackagePlan
{
    /// <summary>The URIs of the source's enabled "deb" APT sources (cheap: reads /etc/apt only).</summary>
    public static IReadOnlyList<string> AptUris(string spec)
    {
        using var disk = DiskImage.Open(spec);
        using var guest = GuestDisk.Open(disk);
        if (guest.Guest is null)
        {
            return [];
        }

        var config = AptSources.Read(guest.Guest, new List<string>());
        return config?.Sources.Where(s => s.Enabled && s.Types.Contains("deb")).SelectMany(s => s.Uris).Distinct(StringComparer.Ordinal).ToList() ?? [];
    }

    /// <summary>
    /// Guest paths of the files a newer package brings: files classed <c>package</c> (identical to
    /// what the installed version shipped) of packages chosen newer in every architecture they
    /// are installed in, conffiles excepted (the source's configuration is kept as it is).
    /// One classifying walk of the source, without SHA-256s.
    /// </summary>
    public static IReadOnlySet<string> NewerPaths(string spec, int threads, IReadOnlyList<DpkgPackage> packages, IReadOnlyList<PackageChoice> choices)
    {
        var newer = choices.GroupBy(c => c.Name, StringComparer.Ordinal)
            .Where(g => g.All(c => c.Action == PackageAction.Newer))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        var conffiles = packages.Where(p => newer.Contains(p.Name)).SelectMany(p => p.Conffiles).Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (newer.Count == 0)
        {
            return paths;
        }

        using var disk = DiskImage.Open(spec);
        var described = new DescribedImage
        {
            Image = Path.GetFullPath(spec),
            Format = "raw",
            VirtualSize = disk.Length,
            AllocatedBytes = 0,
        };
        ProgressReporter.Run("classifying " + spec, report => GuestInspector.Inspect(disk, described, new InspectOptions
        {
            Threads = threads,
            Progress = report,
            Classified = (path, c) =>
            {
                if (c.Class == FileClass.Package && c.Package is { } owner && newer.Contains(owner) && !conffiles.Contains(path))
                {
                    paths.Add(path);
                }
            },
        }));
        return paths;
    }

    public static (int Exact, int Newer, int Wire) Summary(IReadOnlyList<PackageChoice> choices) =>
        (choices.Count(c => c.Action == PackageAction.Exact), choices.Count(c => c.Action == PackageAction.Newer), choices.Count(c => c.Action == PackageAction.Wire));

    public static string SummaryLine(IReadOnlyList<PackageChoice> choices)
    {
        var (exact, newer, wire) = Summary(choices);
        return $"{exact} exact, {newer} newer, {wire} sent exactly (wire)";
    }

    /// <summary>One line per package: name:arch, source version, action, version, and where from (for wire: why).</summary>
    public static void Print(IReadOnlyList<PackageChoice> choices, TextWriter output)
    {
        if (choices.Count == 0)
        {
            return;
        }

        int name = Math.Max(7, choices.Max(c => c.Name.Length + 1 + c.Architecture.Length));
        int version = Math.Max(14, choices.Max(c => Math.Max(c.SourceVersion.Length, c.Version.Length)));
        output.WriteLine($"{"package".PadRight(name)}  {"source version".PadRight(version)}  {"action",-6}  {"version".PadRight(version)}  from");
        foreach (var c in choices)
        {
            output.WriteLine($"{(c.Name + ":" + c.Architecture).PadRight(name)}  {c.SourceVersion.PadRight(version)}  {c.ActionName,-6}  {c.Version.PadRight(version)}  {c.From ?? c.Reason}");
        }
    }

    public static JsonArray Json(IReadOnlyList<PackageChoice> choices) =>
    [
        .. choices.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["architecture"] = c.Architecture,
            ["source_version"] = c.SourceVersion,
            ["action"] = c.ActionName,
            ["version"] = c.Version,
            ["from"] = c.From,
            ["from_kind"] = c.FromKind is { } k ? Content.Index.SourceKinds.Name(k) : null,
            ["suite"] = c.Suite,
            ["archive_size"] = c.Package?.ArchiveSize,
            ["reason"] = c.Reason,
        }),
    ];
}
