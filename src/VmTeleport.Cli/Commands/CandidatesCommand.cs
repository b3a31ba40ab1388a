using System.CommandLine;
using System.Text.Json;
using VmTeleport.Content.Index;
using VmTeleport.Content.Planning;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport candidates SOURCE [--json]`: the report's "list images" and "pick candidate" over
/// the destination's index: local images and snapshots of the source's distro and major version,
/// best first by the bytes still needed from the source with each as the base.
/// </summary>
public static class CandidatesCommand
{
    public static Command Create()
    {
        var image = CommonOptions.Image();
        image.Description = "The source VM's disk image, IMAGE[@SNAPSHOT].";
        var json = new Option<bool>("--json") { Description = "Print a JSON array, best first: image, snapshot, bytes_needed, packages_to_add, packages_to_remove, …" };
        var dataDir = CommonOptions.IndexDataDir();
        var threads = PlanCommand.ThreadsOption();
        var command = new Command("candidates", "Rank the local images and snapshots as bases for rebuilding the source, by bytes still needed from it.")
        {
            image, json, dataDir, threads,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var dir = DataDirectory.Resolve(r.GetValue(dataDir));
            if (!File.Exists(Path.Combine(dir, ContentIndex.FileName)))
            {
                throw new FileNotFoundException($"no content index in {dir}: run `vmteleport index add` first");
            }

            var (source, _) = PlanCommand.ReadSource(r.GetValue(image)!, r.GetValue(threads));
            var ranked = ProgressReporter.Run("ranking", _ => CandidateRanking.Rank(() => ContentIndex.Open(dir), source, r.GetValue(threads)));
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(ranked, PlanCommand.Json));
                return ExitCodes.Success;
            }

            if (ranked.Count == 0)
            {
                Console.Out.WriteLine($"no indexed image or snapshot of {source.Os?.Distro ?? "this"} {source.Os?.Version}");
            }

            foreach (var c in ranked)
            {
                var name = c.Snapshot is null ? c.Image : $"{c.Image}@{c.Snapshot}";
                Console.Out.WriteLine($"{Size.Format(c.BytesNeeded),12}{(c.Pruned ? "+" : " ")} {name}  (+{c.PackagesToAdd.Count} -{c.PackagesToRemove.Count} packages)");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
