using System.CommandLine;
using System.Text.Json;
using VmTeleport.Rebuild.Verification;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport verify SOURCE TARGET [--json]`: each an image (PATH[@SNAP]) or a manifest / tree
/// --jsonl file. Exit 0 when exact, <see cref="ExitCodes.Failure"/> (1) when anything differs.
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
        var command = new Command("verify", "Compare two images or manifests entry by entry; exit 0 only when they are exact.")
        {
            source, target, json, max, threads,
        };
        command.SetAction(r => CommandRunner.Run(() =>
            Run(r.GetValue(source)!, r.GetValue(target)!, r.GetValue(json), r.GetValue(max), r.GetValue(threads))));
        return command;
    }

    private static int Run(string source, string target, bool json, int max, int threads)
    {
        var report = ImageVerification.Compare(source, target, threads, max);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                exact = report.Exact,
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

            Console.WriteLine(report.Exact
                ? $"exact: {report.EntriesCompared} entries compared ({report.Mode})"
                : $"not exact: {report.DifferenceCount} differences in {report.EntriesCompared} entries ({report.Mode})");
        }

        return report.Exact ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Values are raw JSON fragments of the tree format (strings quoted, numbers bare): emitted as JSON values, not as strings holding JSON.</summary>
    private static System.Text.Json.Nodes.JsonNode? RawJson(string? fragment) =>
        fragment is null ? null : System.Text.Json.Nodes.JsonNode.Parse(fragment);
}
