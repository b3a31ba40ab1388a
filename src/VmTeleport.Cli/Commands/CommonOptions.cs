using System.CommandLine;

namespace VmTeleport.Cli.Commands;

/// <summary>Arguments and options several commands share, so they read the same everywhere.</summary>
public static class CommonOptions
{
    /// <summary>--data-dir of the commands that use the destination's content index.</summary>
    public static Option<string?> IndexDataDir() => new("--data-dir")
    {
        Description = $"Where the destination's content index lives (DIR/{Content.Index.ContentIndex.FileName}). Default: ${DataDirectory.Variable}, else /var/lib/vmteleport for root, ~/.local/share/vmteleport for others.",
        HelpName = "DIR",
    };

    /// <summary>URL, --token-file and --fingerprint: how `fetch` and `pull` name and trust a source agent (<see cref="AgentAddress"/>).</summary>
    public static (Argument<string> Url, Option<string> TokenFile, Option<string> Fingerprint) Agent() => (
        new("URL") { Description = "The agent and VM: https://HOST:PORT/NAME (NAME may be left out when the agent serves one VM)." },
        new("--token-file") { Description = "File holding the agent's bearer token (mode 0600).", HelpName = "FILE", Required = true },
        new("--fingerprint") { Description = "The agent's certificate fingerprint as `serve` prints it (SHA256:…); any other certificate is refused.", HelpName = "FP", Required = true });

    public static Argument<string> Image() => new("IMAGE")
    {
        Description = "Disk image (raw or qcow2), optionally IMAGE@SNAPSHOT for a qcow2 internal snapshot (name or id). Opened read-only.",
    };

    public static Option<int?> Partition() => new("--partition", "-p")
    {
        Description = "Partition number holding the filesystem (as the kernel numbers them). Needed only when the disk holds several.",
    };

    /// <summary>
    /// A command of the form `NAME IMAGE[@SNAP] PATH [--partition N]` whose body receives the
    /// three values and returns an exit code (ls and cat).
    /// </summary>
    public static Command ImagePathCommand(string name, string description, Argument<string> path, Func<string, string, int?, int> run)
    {
        var image = Image();
        var partition = Partition();
        var command = new Command(name, description) { image, path, partition };
        command.SetAction(r => CommandRunner.Run(() => run(r.GetValue(image)!, r.GetValue(path)!, r.GetValue(partition))));
        return command;
    }
}
