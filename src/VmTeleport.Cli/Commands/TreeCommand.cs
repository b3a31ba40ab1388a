using System.CommandLine;
using VmTeleport.FileSystems;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport tree IMAGE[@SNAP] [--partition N] --jsonl`: every entry of a guest filesystem with
/// its metadata and the sha256 of every regular file (format: docs/tree-format.md).
/// </summary>
public static class TreeCommand
{
    public static Command Create()
    {
        var image = CommonOptions.Image();
        var partition = CommonOptions.Partition();
        var jsonl = new Option<bool>("--jsonl") { Description = "One JSON object per entry (docs/tree-format.md) instead of an indented listing." };
        var noHash = new Option<bool>("--no-hash") { Description = "Skip the sha256 of file contents (metadata only; much faster)." };
        var threads = new Option<int>("--threads")
        {
            Description = "Files hashed at the same time (default: one per CPU).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("tree", "Walk a filesystem inside a disk image: every entry, the root included, with metadata and content hashes.")
        {
            image, partition, jsonl, noHash, threads,
        };
        command.SetAction(r => CommandRunner.Run(() =>
            Run(r.GetValue(image)!, r.GetValue(partition), r.GetValue(jsonl), !r.GetValue(noHash), r.GetValue(threads))));
        return command;
    }

    private static int Run(string image, int? partition, bool jsonl, bool hash, int threads)
    {
        using var volume = OpenedVolume.Open(image, partition);
        var fs = volume.FileSystem;
        using var stdout = Console.OpenStandardOutput();
        if (jsonl)
        {
            return ProgressReporter.Run("walking " + image, report =>
            {
                // Records are ASCII (walk.py's escaping), so a plain buffered writer suffices.
                using var writer = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
                var entries = hash
                    ? HashedWalk.Run(fs, threads)
                    : fs.Walk().Select(e => (Entry: e, Sha256: (string?)null));
                long count = 0, bytes = 0;
                foreach (var (entry, sha256) in entries)
                {
                    writer.WriteLine(TreeRecord.ToJsonLine(entry, sha256));
                    bytes += sha256 is null ? 0 : entry.Size;
                    report(++count, bytes);
                }

                return ExitCodes.Success;
            });
        }

        using var text = new StreamWriter(stdout);
        foreach (var entry in fs.Walk())
        {
            int depth = entry.Path == "/" ? 0 : entry.Path.Count(c => c == '/');
            string name = entry.Path == "/" ? "/" : entry.Path[(entry.Path.LastIndexOf('/') + 1)..];
            string suffix = entry.Type switch
            {
                EntryType.Directory when entry.Path != "/" => "/",
                EntryType.Symlink => $" -> {entry.Target}",
                EntryType.File => $"  ({Size.Format(entry.Size)})",
                _ => string.Empty,
            };
            text.Write(new string(' ', 2 * Math.Max(0, depth - 1) + (depth > 0 ? 2 : 0)));
            text.WriteLine(name + suffix);
        }

        return ExitCodes.Success;
    }
}
