using System.CommandLine;

namespace VmTeleport.Cli.Commands;

/// <summary>Arguments and options several commands share, so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Argument<string> Image() => new("IMAGE")
    {
        Description = "Disk image (raw or qcow2), optionally IMAGE@SNAPSHOT for a qcow2 internal snapshot (name or id). Opened read-only.",
    };

    public static Option<int?> Partition() => new("--partition", "-p")
    {
        Description = "Partition number holding the filesystem (as the kernel numbers them). Needed only when the disk holds several.",
    };
}
