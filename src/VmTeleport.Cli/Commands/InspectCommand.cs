using System.CommandLine;
using System.Globalization;
using System.Text;
using VmTeleport.Disks;
using VmTeleport.Guests;
using VmTeleport.Guests.Classes;
using VmTeleport.Guests.Hardware;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport inspect IMAGE[@SNAP] [--json] [--manifest FILE] [--policy FILE]`: what the guest
/// is, which packages it has, and which of its bytes a destination could find elsewhere
/// (docs/description-format.md, docs/manifest-format.md, docs/file-classes.md).
/// </summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var image = CommonOptions.Image();
        var json = new Option<bool>("--json") { Description = "Print the description document (docs/description-format.md) instead of a summary." };
        var manifest = new Option<string?>("--manifest")
        {
            Description = "Also write every entry as JSON Lines to FILE: the tree fields plus class and package (docs/manifest-format.md). Hashes every file.",
            HelpName = "FILE",
        };
        var policy = new Option<string?>("--policy")
        {
            Description = "Class policy file whose rules (\"ephemeral PATTERN\" / \"keep PATTERN\") follow the default ones (docs/file-classes.md).",
            HelpName = "FILE",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Files read at the same time (default: one per CPU, at least 2).",
            DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount),
        };
        var domainXml = new Option<string?>("--domain-xml")
        {
            Description = "libvirt domain XML of the VM (e.g. from `virsh dumpxml`): its hardware goes into the description (docs/hardware.md).",
            HelpName = "FILE",
        };
        var domain = new Option<string?>("--domain")
        {
            Description = "Name of a libvirt domain: its XML and snapshots are read with `virsh` (read-only), else from /etc/libvirt/qemu.",
            HelpName = "NAME",
        };
        var connect = new Option<string?>("--connect", "-c")
        {
            Description = "libvirt connection URI for --domain (default: $LIBVIRT_DEFAULT_URI, else qemu:///system).",
            HelpName = "URI",
        };
        var command = new Command("inspect", "Describe a powered-off guest from its disk image: OS, packages, filesystems, hardware, and a class for every file.")
        {
            image, json, manifest, policy, domainXml, domain, connect, threads,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            if (r.GetValue(domainXml) is not null && r.GetValue(domain) is not null)
            {
                throw new UsageException("give either --domain-xml FILE or --domain NAME, not both");
            }

            if (r.GetValue(connect) is not null && r.GetValue(domain) is null)
            {
                throw new UsageException("--connect goes with --domain NAME");
            }

            DomainHardware? hardware = r.GetValue(domainXml) is { } file ? DomainSource.LoadFile(file)
                : r.GetValue(domain) is { } name ? DomainSource.LoadByName(name, new DomainLookup { ConnectUri = r.GetValue(connect) })
                : null;
            return Run(r.GetValue(image)!, r.GetValue(json), r.GetValue(manifest), r.GetValue(policy), r.GetValue(threads), hardware);
        }));
        return command;
    }

    private static int Run(string imageSpec, bool json, string? manifestPath, string? policyPath, int threads, DomainHardware? hardware)
    {
        if (threads < 1)
        {
            throw new UsageException("--threads must be at least 1");
        }

        var classPolicy = policyPath is null
            ? ClassPolicy.Default
            : ClassPolicy.WithOverrides(File.ReadAllText(policyPath), policyPath);
        var (path, snapshot) = DiskImage.SplitSpec(imageSpec);
        using var disk = DiskImage.Open(imageSpec);
        var source = new DescribedImage
        {
            Image = Path.GetFullPath(path),
            Snapshot = snapshot,
            Format = GuestInspector.FormatOf(path),
            VirtualSize = disk.Length,
            AllocatedBytes = GuestInspector.AllocatedBytes(disk),
        };

        // The manifest is written beside its final name and moved into place only when complete,
        // so that a failed inspection never leaves a file that looks like a whole manifest.
        string? partial = manifestPath is null ? null : manifestPath + ".partial";
        StreamWriter? writer = partial is null
            ? null
            : new StreamWriter(partial, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        GuestDescription description;
        try
        {
            description = ProgressReporter.Run(
                "inspecting " + imageSpec,
                report => GuestInspector.Inspect(disk, source, new InspectOptions
                {
                    Policy = classPolicy,
                    Threads = threads,
                    Manifest = writer is null ? null : writer.WriteLine,
                    Progress = report,
                    Hardware = hardware,
                }),
                !Console.IsErrorRedirected);
            writer?.Dispose();
            writer = null;
            if (partial is not null)
            {
                File.Move(partial, manifestPath!, overwrite: true);
            }
        }
        catch
        {
            writer?.Dispose();
            if (partial is not null)
            {
                File.Delete(partial);
            }

            throw;
        }

        if (json)
        {
            Console.Out.WriteLine(DescriptionJson.Serialize(description));
        }
        else
        {
            DescriptionSummary.Write(Console.Out, description);
        }

        return ExitCodes.Success;
    }
}
