using System.Diagnostics;
using VmTeleport.Guests.Hardware;

namespace VmTeleport.Cli;

/// <summary>
/// The file-backed disk images of the libvirt domains on this host: the &lt;disk device="disk"&gt;
/// sources of every domain XML in libvirt's configuration directory, and of every domain
/// `virsh list --all --name` knows when virsh is installed and connects (read-only, time-limited).
/// </summary>
public static class LibvirtDisks
{
    public const string DefaultConfigDirectory = "/etc/libvirt/qemu";

    private static readonly TimeSpan VirshTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Image paths in the order found, without duplicates; <paramref name="notes"/> gets what could not be read.</summary>
    public static IReadOnlyList<string> Find(string configDirectory, string? connectUri, ICollection<string> notes)
    {
        var found = new List<string>();
        void AddFrom(DomainHardware domain)
        {
            foreach (var disk in domain.Disks)
            {
                if (disk.Device == "disk" && disk.Source?.File is { Length: > 0 } file && !found.Contains(file, StringComparer.Ordinal))
                {
                    found.Add(file);
                }
            }
        }

        if (Directory.Exists(configDirectory))
        {
            foreach (var xml in Directory.EnumerateFiles(configDirectory, "*.xml").Order(StringComparer.Ordinal))
            {
                try
                {
                    AddFrom(DomainSource.LoadFile(xml));
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    notes.Add($"{xml}: skipped: {e.Message}");
                }
            }
        }
        else
        {
            notes.Add($"{configDirectory}: no such directory");
        }

        if (FindVirsh() is { } virsh)
        {
            var uri = connectUri ?? Environment.GetEnvironmentVariable("LIBVIRT_DEFAULT_URI") ?? "qemu:///system";
            var (code, names, error) = Run(virsh, "-r", "-c", uri, "list", "--all", "--name");
            if (code != 0)
            {
                notes.Add($"virsh -c {uri} list: {(error.Length > 0 ? error.Trim() : $"exit code {code}")}");
                return found;
            }

            foreach (var name in names.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var (dumpCode, xml, dumpError) = Run(virsh, "-r", "-c", uri, "dumpxml", name);
                try
                {
                    if (dumpCode != 0)
                    {
                        throw new IOException(dumpError.Trim());
                    }

                    AddFrom(DomainXml.Parse(xml, $"virsh dumpxml {name}"));
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    notes.Add($"virsh -c {uri} dumpxml {name}: skipped: {e.Message}");
                }
            }
        }

        return found;
    }

    private static string? FindVirsh() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "virsh")).FirstOrDefault(File.Exists);

    private static (int Code, string Out, string Err) Run(string virsh, params string[] args)
    {
        var info = new ProcessStartInfo(virsh)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(VirshTimeout))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "", $"timed out after {VirshTimeout.TotalSeconds:0} s");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
