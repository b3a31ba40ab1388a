using System.CommandLine;
using VmTeleport.FileSystems;

namespace VmTeleport.Cli.Commands;

/// <summary>`vmteleport cat IMAGE[@SNAP] PATH`: writes a guest file's bytes to stdout, following symlinks.</summary>
public static class CatCommand
{
    public static Command Create() => CommonOptions.ImagePathCommand(
        "cat",
        "Write a file from a filesystem inside a disk image to standard output, without mounting it.",
        new Argument<string>("PATH") { Description = "Path of a file inside the guest filesystem (symlinks are followed within it)." },
        Run);

    private static int Run(string image, string path, int? partition)
    {
        using var volume = OpenedVolume.Open(image, partition);
        var fs = volume.FileSystem;
        var entry = SymlinkResolver.Resolve(fs, path);
        if (entry.Type != EntryType.File)
        {
            throw new UsageException($"{path} is not a regular file (it is a {entry.Type.ToString().ToLowerInvariant()})");
        }

        using var content = fs.OpenRead(entry);
        using var stdout = Console.OpenStandardOutput();
        content.CopyTo(stdout, 1 << 20);
        return ExitCodes.Success;
    }
}
