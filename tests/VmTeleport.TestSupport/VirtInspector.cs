using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace VmTeleport.TestSupport;

/// <summary>
/// libguestfs's virt-inspector, the reference for "what OS is on this disk". It boots an appliance
/// under TCG (no KVM here), so one run costs tens of seconds: its XML is cached beside the fixtures,
/// keyed by the image's path, size and modification time, so a rebuilt fixture is inspected again.
/// </summary>
public static class VirtInspector
{
    public sealed record Os(string Name, string Distro, int MajorVersion, int MinorVersion, string Hostname, string PackageFormat);

    public static Os Inspect(string image, string format)
    {
        var xml = XDocument.Parse(CachedXml(image, format));
        var os = xml.Root?.Element("operatingsystem") ?? throw new InvalidOperationException($"virt-inspector found no operating system on {image}");
        string Get(string name) => os.Element(name)?.Value ?? "";
        return new Os(Get("name"), Get("distro"), int.Parse(Get("major_version"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Get("minor_version"), System.Globalization.CultureInfo.InvariantCulture), Get("hostname"), Get("package_format"));
    }

    /// <summary>The XML virt-inspector prints for the image, from the cache when it holds this version of it.</summary>
    public static string CachedXml(string image, string format)
    {
        var info = new FileInfo(image);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}")))[..16];
        var cacheDir = Path.Combine(Environment.GetEnvironmentVariable("VMTELEPORT_CACHE") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "vmteleport"), "virt-inspector");
        Directory.CreateDirectory(cacheDir);
        var cached = Path.Combine(cacheDir, $"{Path.GetFileName(image)}-{key}.xml");
        if (File.Exists(cached))
        {
            return File.ReadAllText(cached);
        }

        // --ro and a read-only format name: libguestfs opens the image read-only; the direct backend
        // needs no libvirtd.
        var psi = new List<string> { "--format=" + format, "-a", image };
        var r = RunWithBackend(psi);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"virt-inspector {image} failed ({r.ExitCode}): {r.StdErr}");
        }

        var tmp = cached + ".partial";
        File.WriteAllText(tmp, r.StdOut);
        File.Move(tmp, cached, overwrite: true);
        return r.StdOut;
    }

    private static ProcessResult RunWithBackend(List<string> args) =>
        ExternalCommand.Run("env", ["LIBGUESTFS_BACKEND=direct", "virt-inspector", .. args], TimeSpan.FromMinutes(10));
}
