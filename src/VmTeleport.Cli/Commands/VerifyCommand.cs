using System.CommandLine;
using System.Text.Json;
using VmTeleport.Rebuild.Verification;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport verify SOURCE TARGET [--allow-newer] [--json]`: each an image (PATH[@SNAP]) or a
/// manifest / tree --jsonl file. Exit 0 when exact — or, with --allow-newer, a functional copy: the
/// only differences are newer package versions, the files those packages own and their dpkg
/// database entries (docs/functional-copy.md) —, <see cref="ExitCodes.Failure"/> (1) otherwise.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SOURCE") { Description = "IMAGE[@SNAP], or a manifest / tree --jsonl file." };
        var target = new Argument<string>("TARGET") { Description = "IMAGE[@SNAP], or a manifest / tree --jsonl file." };
        var json = new Option<bool>("--json") { Description = "Print the verdict and differences as JSON." };
        var max = new Option<int>("--max-differences") { Description = "Differences listed (all are counted).", DefaultValueFactory = _ => 100 };
        var threads = new Option<int>("--threads") { Description = "Files hashed at the same time.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var allowNewer = new Option<bool>("--allow-newer") { Description = "Two images: accept a functional copy (packages at other versions, differing only in the files they own and their dpkg entries), listing what differs." };
        var command = new Command("verify", "Compare two images or manifests entry by entry; exit 0 only when they are exact.")
        {
            source, target, json, max, threads, allowNewer,
        };
        command.SetAction(r => CommandRunner.Run(() =>
            Run(r.GetValue(source)!, r.GetValue(target)!, r.GetValue(json), r.GetValue(max), r.GetValue(threads), r.GetValue(allowNewer))));
        return command;
    }

    private static int Run(string source, string target, bool json, int max, int threads, bool allowNewer)
    {
        if (allowNewer && (ImageVerification.IsEntryList(source) || ImageVerification.IsEntryList(target)))
        {
            throw new UsageException("--allow-newer compares two images (it reads both dpkg databases)");
        }

        var scope = allowNewer ? FunctionalScope.FromImages(source, target) : null;
        var report = ImageVerification.Compare(source, target, threads, max, scope);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                exact = report.Exact,
                functional = report.Functional,
                newer_packages = scope?.Packages.Select(p => new { name = p.Name, architecture = p.Architecture, source_version = p.OldVersion, version = p.NewVersion }),
                explained_difference_count = report.ExplainedDifferenceCount,
                explained_differences = report.ExplainedDifferences.Select(d => new { scope = d.Scope, path = d.Path, field = d.Field, source = RawJson(d.Source), target = RawJson(d.Target) }),
                mode = report.Mode,
                entries_compared = report.EntriesCompared,
                difference_count = report.DifferenceCount,
                differences_by_field = report.DifferencesByField,
                differences = report.Differences.Select(d => new { scope = d.Scope, path = d.Path, field = d.Field, source = RawJson(d.Source), target = RawJson(d.Target) }),
            }));
        }
        else
        {
            foreach (var d in report.Differences)
            {
                Console.WriteLine($"{d.Scope} {d.Path}: {d.Field}: {d.Source ?? "-"} -> {d.Target ?? "-"}");
            }

            foreach (var d in report.ExplainedDifferences)
            {
                Console.WriteLine($"newer package: {d.Scope} {d.Path}: {d.Field}: {d.Source ?? "-"} -> {d.Target ?? "-"}");
            }

            Console.WriteLine(Verdict(report));
        }

        return report.Accepted ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The one-line verdict, shared with pull: exact, functional copy (and what differs), or not exact.</summary>
    internal static string Verdict(ComparisonReport report)
    {
        if (report.Exact)
        {
            return $"exact: {report.EntriesCompared} entries compared ({report.Mode})";
        }

        if (report.Functional)
        {
            var packages = report.Scope!.Describe().ToList();
            return $"functional copy: {packages.Count} package(s) at a newer version ({string.Join(", ", packages)}); "
                + $"{report.ExplainedDifferenceCount} difference(s), all in the files those packages own and their dpkg entries; "
                + $"everything else of {report.EntriesCompared} entries exact ({report.Mode})";
        }

        return $"not exact: {report.DifferenceCount} differences in {report.EntriesCompared} entries ({report.Mode})"
            + (report.ExplainedDifferenceCount > 0 ? $", besides {report.ExplainedDifferenceCount} explained by newer packages" : "");
    }

    /// <summary>Values are raw JSON fragments of the tree format (strings quoted, numbers bare): emitted as JSON values, not as strings holding JSON.</summary>
    private static System.Text.Json.Nodes.JsonNode? RawJson(string? fragment) =>
        fragment is null ? null : System.Text.Json.Nodes.JsonNode.Parse(fragment);
}
