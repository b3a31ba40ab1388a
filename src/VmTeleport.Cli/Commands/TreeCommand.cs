using System.CommandLine;
using System.Security.Cryptography;
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
        var command = new Command("tree", "Walk a filesystem inside a disk image: every entry, the root included, with metadata and content hashes.")
        {
            image, partition, jsonl, noHash,
        };
        command.SetAction(r => CommandRunner.Run(() =>
            Run(r.GetValue(image)!, r.GetValue(partition), r.GetValue(jsonl), !r.GetValue(noHash))));
        return command;
    }

    private static int Run(string image, int? partition, bool jsonl, bool hash)
    {
        using var volume = OpenedVolume.Open(image, partition);
        var fs = volume.FileSystem;
        using var stdout = Console.OpenStandardOutput();
        if (jsonl)
        {
            using var writer = new TreeRecordWriter(stdout);
            byte[] buffer = new byte[1 << 20];
            foreach (var entry in fs.Walk())
            {
                writer.Write(entry, hash && entry.Type == EntryType.File ? Sha256Hex(fs, entry, buffer) : null);
            }

            return ExitCodes.Success;
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

    private static string Sha256Hex(IFileSystem fs, FileSystemEntry entry, byte[] buffer)
    {
        using var content = fs.OpenRead(entry);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int n;
        while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            sha.AppendData(buffer, 0, n);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
