using System.CommandLine;
using VmTeleport.FileSystems;

namespace VmTeleport.Cli.Commands;

/// <summary>`vmteleport ls IMAGE[@SNAP] [PATH]`: lists a directory of a guest filesystem like `ls -la`.</summary>
public static class LsCommand
{
    public static Command Create() => CommonOptions.ImagePathCommand(
        "ls",
        "List a directory (or show one entry) of a filesystem inside a disk image, without mounting it.",
        new Argument<string>("PATH") { Description = "Path inside the guest filesystem.", DefaultValueFactory = _ => "/" },
        Run);

    private static int Run(string image, string path, int? partition)
    {
        using var volume = OpenedVolume.Open(image, partition);
        var fs = volume.FileSystem;
        var entry = fs.GetEntry(path);
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        if (entry.Type != EntryType.Directory)
        {
            output.WriteLine(EntryFormat.LongLine(entry, entry.Path));
            return ExitCodes.Success;
        }

        foreach (var child in fs.ListDirectory(entry))
        {
            output.WriteLine(EntryFormat.LongLine(child, child.Path[(child.Path.LastIndexOf('/') + 1)..]));
        }

        return ExitCodes.Success;
    }
}
