using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VmTeleport.Content.Index;
using VmTeleport.Content.Planning;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport plan SOURCE [--bandwidth RATE] [--allow-newer [release|security]] [--json]`: which
/// version of each package the destination will have and from where, where every byte of the
/// source would come from given what the destination's index holds, what crosses the wire, and
/// whether teleporting beats a plain compressed copy at that rate (docs/planning.md).
/// </summary>
public static class PlanCommand
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
    };

    public static Command Create()
    {
        var image = CommonOptions.Image();
        image.Description = "The source VM's disk image, IMAGE[@SNAPSHOT].";
        var json = new Option<bool>("--json") { Description = "Print the plan document (docs/planning.md)." };
        var bandwidth = new Option<string>("--bandwidth")
        {
            Description = $"The link's rate, e.g. 10MB/s, 80mbit, 1GB/s (default {Bandwidth.Default}, the report's link).",
            HelpName = "RATE",
            DefaultValueFactory = _ => Bandwidth.Default,
        };
        var dataDir = CommonOptions.IndexDataDir();
        var threads = ThreadsOption();
        var noFetch = new Option<bool>("--no-fetch")
        {
            Description = "Do not fetch the archives of the source's packages from indexed APT repositories (by default they are fetched, checked and indexed first).",
        };
        var allowNewer = AllowNewerOption();
        var command = new Command("plan", "Plan a teleport: for every package of the source, its version and origin; for every file and region, its cheapest local source or the wire; and teleport-or-copy at the link's rate.")
        {
            image, json, bandwidth, dataDir, threads, noFetch, allowNewer,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            double rate = Bandwidth.Parse(r.GetValue(bandwidth)!);
            var dir = DataDirectory.Resolve(r.GetValue(dataDir));
            var policy = r.GetValue(allowNewer) ?? NewerPolicy.None;
            var spec = r.GetValue(image)!;
            var (source, readRate) = ReadSource(spec, r.GetValue(threads));
            var write = LocalThroughput.Write(dir);
            using var index = ContentIndex.Open(dir);
            var aptUris = PackagePlan.AptUris(spec);
            IReadOnlyList<PackageChoice> PlanPackages() => PackageSourcing.Plan(index, source.Packages, source.Os?.Codename, policy, aptUris);
            var choices = PlanPackages();
            ArchiveFetch? fetched = null;
            if (!r.GetValue(noFetch))
            {
                fetched = ProgressReporter.Run("fetching package archives", _ => ArchiveFetch.ForSource(index, source.Packages, choices));
                foreach (var failure in fetched.Failed)
                {
                    Console.Error.WriteLine($"vmteleport: could not fetch {failure}");
                }

                if (fetched.Fetched > 0)
                {
                    choices = PlanPackages(); // a fetched archive is a local .deb now
                }
            }

            var newerPaths = policy == NewerPolicy.None ? null : PackagePlan.NewerPaths(spec, r.GetValue(threads), source.Packages, choices);
            var plan = ProgressReporter.Run("planning", _ => TransferPlanner.Build(source, index, rate, readRate, write.WriteBytesPerSecond, newerPaths)) with { ArchivesFetched = fetched };
            if (r.GetValue(json))
            {
                var doc = JsonSerializer.SerializeToNode(plan, Json)!.AsObject();
                var (exact, newer, wire) = PackagePlan.Summary(choices);
                doc["packages"] = PackagePlan.Json(choices);
                doc["package_summary"] = new JsonObject { ["exact"] = exact, ["newer"] = newer, ["wire"] = wire, ["allow_newer"] = policy.ToString().ToLowerInvariant() };
                Console.Out.WriteLine(doc.ToJsonString(Json));
            }
            else
            {
                PackagePlan.Print(choices, Console.Out);
                Console.Out.WriteLine($"packages:     {PackagePlan.SummaryLine(choices)}");
                Print(plan);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// --allow-newer [release|security]: alone it means release. The parser takes the next word as
    /// its value, so another word there ("plan --allow-newer IMAGE") is refused with the fix.
    /// </summary>
    internal static Option<NewerPolicy?> AllowNewerOption() => new("--allow-newer")
    {
        Description = "Let the destination install newer versions of the source's packages from its archives of the same release: release (any suite but -backports and -proposed-updates; the default) or security (-security and -updates only).",
        HelpName = "release|security",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return NewerPolicy.Release;
            }

            switch (result.Tokens[0].Value)
            {
                case "release":
                    return NewerPolicy.Release;
                case "security":
                    return NewerPolicy.Security;
                default:
                    result.AddError($"--allow-newer takes release or security, not \"{result.Tokens[0].Value}\" (write IMAGE before --allow-newer, or --allow-newer release IMAGE)");
                    return null;
            }
        },
    };

    internal static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "Files of the source read at the same time (default: one per CPU, at least 2).",
        DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount),
    };

    /// <summary>Walks and chunks the source; also returns the rate at which it read (bytes/s), the planner's estimate of local reads.</summary>
    internal static (SourceContent Source, double ReadBytesPerSecond) ReadSource(string spec, int threads)
    {
        if (threads < 1)
        {
            throw new UsageException("--threads must be at least 1");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var source = ProgressReporter.Run("reading " + spec, report => SourceContent.Read(spec, threads, report));
        long bytes = source.Items.Sum(i => i.Size);
        return (source, Math.Max(1, bytes) / Math.Max(0.001, watch.Elapsed.TotalSeconds));
    }

    private static void Print(TransferPlan p)
    {
        string S(long b) => Size.Format(b);
        Console.Out.WriteLine($"source:       {p.Source} ({p.Distro} {p.DistroVersion})");
        Console.Out.WriteLine($"content:      {p.Files:N0} files, {p.Regions:N0} raw regions, {S(p.Bytes)}, {p.DistinctChunks:N0} distinct chunks");
        foreach (var (kind, bytes) in p.LocalBytes.OrderByDescending(kv => kv.Value))
        {
            Console.Out.WriteLine($"local {kind,-8}{S(bytes),12}  ({p.LocalFiles.GetValueOrDefault(kind):N0} whole files)");
        }

        Console.Out.WriteLine($"duplicates:   {S(p.DuplicateBytes)}");
        if (p.NewerPackageBytes is { } newer)
        {
            Console.Out.WriteLine($"newer:        {S(newer)} ({p.NewerPackageFiles:N0} files of newer packages, from their archives)");
        }

        if (p.ArchivesFetched is { Fetched: > 0 } f)
        {
            Console.Out.WriteLine($"fetched:      {f.Fetched:N0} package archives ({S(f.Bytes)}) from APT repositories");
        }

        Console.Out.WriteLine($"wire:         {S(p.WireBytes)} ({p.WireChunks:N0} chunks, {S(p.WireRawBytes)} before compression)");
        Console.Out.WriteLine($"plain copy:   {S(p.PlainCopy.CompressedBytes)} compressed of {S(p.PlainCopy.AllocatedBytes)} allocated ({p.PlainCopy.Method})");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decision:     {p.Decision}: {p.Reason}"));
    }
}
