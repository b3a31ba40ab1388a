using System.CommandLine;
using System.Diagnostics;
using VmTeleport.Guests.Hardware;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport deploy --disk DISK (--domain-xml FILE | --domain NAME) [--name NAME] [--output FILE]
/// [--define [--connect URI]]`: the libvirt domain XML for a teleported disk with the source's
/// hardware (docs/hardware.md, "Deploying"); with --define, registered with `virsh define`.
/// </summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var disk = new Option<string>("--disk") { Description = "The teleported disk image the new domain boots from.", HelpName = "DISK", Required = true };
        var domainXml = new Option<string?>("--domain-xml") { Description = "The source VM's libvirt domain XML (its hardware is copied).", HelpName = "FILE" };
        var domain = new Option<string?>("--domain") { Description = "The source VM's libvirt domain, read with virsh (read-only) or from /etc/libvirt/qemu.", HelpName = "NAME" };
        var name = new Option<string?>("--name") { Description = "Name of the new domain (default: the disk's file name without extension).", HelpName = "NAME" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the XML to FILE instead of standard output.", HelpName = "FILE" };
        var define = new Option<bool>("--define") { Description = "Register the domain with `virsh define` (needs libvirt)." };
        var connect = new Option<string?>("--connect", "-c") { Description = "libvirt URI for --domain and --define (default: $LIBVIRT_DEFAULT_URI, else qemu:///system).", HelpName = "URI" };
        var type = new Option<string?>("--domain-type") { Description = "kvm or qemu (default: kvm where /dev/kvm exists, else qemu).", HelpName = "TYPE" };
        var command = new Command("deploy", "Write (and optionally define) the libvirt domain of a teleported disk, with the source VM's hardware.")
        {
            disk, domainXml, domain, name, output, define, connect, type,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            if ((r.GetValue(domainXml) is null) == (r.GetValue(domain) is null))
            {
                throw new UsageException("give the source's hardware with either --domain-xml FILE or --domain NAME");
            }

            var diskPath = Path.GetFullPath(r.GetValue(disk)!);
            if (!File.Exists(diskPath))
            {
                throw new FileNotFoundException($"{diskPath}: no such disk image");
            }

            var hardware = r.GetValue(domainXml) is { } file
                ? DomainSource.LoadFile(file)
                : DomainSource.LoadByName(r.GetValue(domain)!, new DomainLookup { ConnectUri = r.GetValue(connect) });
            var newName = r.GetValue(name) ?? Path.GetFileNameWithoutExtension(diskPath);
            var domainType = r.GetValue(type) ?? (File.Exists("/dev/kvm") ? "kvm" : "qemu");
            var xml = DomainDefinition.Create(hardware, newName, diskPath, Guests.GuestInspector.FormatOf(diskPath), domainType);
            string? written = r.GetValue(output);
            if (written is not null)
            {
                var partial = written + ".partial";
                File.WriteAllText(partial, xml);
                File.Move(partial, written, overwrite: true);
            }
            else if (!r.GetValue(define))
            {
                Console.Out.Write(xml);
            }

            if (r.GetValue(define))
            {
                Define(written ?? WriteTemp(xml), r.GetValue(connect), newName);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string WriteTemp(string xml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"vmteleport-domain-{Environment.ProcessId}.xml");
        File.WriteAllText(file, xml);
        return file;
    }

    internal static void Define(string file, string? uri, string name)
    {
        var virsh = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "virsh")).FirstOrDefault(File.Exists)
            ?? throw new NotSupportedException("--define needs libvirt's virsh, which is not installed here");
        var info = new ProcessStartInfo(virsh) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--connect");
        info.ArgumentList.Add(uri ?? Environment.GetEnvironmentVariable("LIBVIRT_DEFAULT_URI") ?? DomainLookup.SystemUri);
        info.ArgumentList.Add("define");
        info.ArgumentList.Add(file);
        using var p = Process.Start(info) ?? throw new IOException("could not start virsh");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new IOException($"virsh define {file} did not finish in 60 s");
        }

        if (p.ExitCode != 0)
        {
            throw new IOException($"virsh define {file} failed: {stderr.Result.Trim()}");
        }

        Console.Error.WriteLine($"vmteleport: defined domain {name} ({stdout.Result.Trim()})");
    }
}
