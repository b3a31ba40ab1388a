using System.Globalization;
using System.Text.RegularExpressions;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Os;

/// <summary>
/// Finds out which operating system a guest view holds. Each rule is a predicate on paths, as in
/// libguestfs' inspection; what cannot be read is recorded in problems and the rest goes on.
/// </summary>
public static partial class OsProbe
{
    private const long SmallFile = 64 * 1024;

    /// <summary>Whether a filesystem looks like a Linux root: /etc plus os-release or a shell.</summary>
    public static bool LooksLikeRoot(IFileSystem fs)
    {
        ArgumentNullException.ThrowIfNull(fs);
        return Exists(fs, "/etc") &&
            (Exists(fs, "/etc/os-release") || Exists(fs, "/usr/lib/os-release") || Exists(fs, "/bin") || Exists(fs, "/etc/fstab"));
    }

    public static OsInfo Detect(IFileSystem guest, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(guest);
        ArgumentNullException.ThrowIfNull(problems);
        if (!LooksLikeRoot(guest))
        {
            problems.Add("no operating system found: the guest has no /etc with os-release, fstab or /bin");
            return new OsInfo { Type = "unknown" };
        }

        var release = ReadOsRelease(guest, problems);
        release.TryGetValue("ID", out var id);
        release.TryGetValue("VERSION_ID", out var versionId);
        if (string.IsNullOrEmpty(id) && Exists(guest, "/etc/debian_version"))
        {
            // As libguestfs does when os-release is missing or unreadable: the file every Debian
            // (and no derivative without its own os-release) has.
            id = "debian";
        }

        string? version = versionId;
        if (id == "debian" && GuestFiles.ReadText(guest, "/etc/debian_version", SmallFile, problems) is { } dv)
        {
            // os-release says "12"; the point release lives in /etc/debian_version ("12.15").
            var first = dv.Split('\n')[0].Trim();
            if (VersionPattern().IsMatch(first))
            {
                version = first;
            }
        }
        else if (id is null && GuestFiles.ReadText(guest, "/etc/redhat-release", SmallFile, problems) is { } rh)
        {
            version = VersionPattern().Match(rh) is { Success: true } m ? m.Value : null;
        }

        var (major, minor) = SplitVersion(version);
        release.TryGetValue("VERSION_CODENAME", out var codename);
        if (string.IsNullOrEmpty(codename) && release.TryGetValue("VERSION", out var v) && CodenamePattern().Match(v) is { Success: true } c)
        {
            codename = c.Groups[1].Value.ToLowerInvariant();
        }

        return new OsInfo
        {
            Type = "linux",
            Distro = string.IsNullOrEmpty(id) ? null : id,
            DistroLike = release.TryGetValue("ID_LIKE", out var like) ? like.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [],
            ProductName = release.TryGetValue("PRETTY_NAME", out var pretty) ? pretty : null,
            Version = version,
            MajorVersion = major,
            MinorVersion = minor,
            Codename = string.IsNullOrEmpty(codename) ? null : codename,
            Architecture = Architecture(guest, problems),
            Hostname = Hostname(guest, problems),
            PackageFormat = Exists(guest, "/var/lib/dpkg/status") ? "deb"
                : Exists(guest, "/var/lib/rpm") || Exists(guest, "/usr/lib/sysimage/rpm") ? "rpm"
                : Exists(guest, "/lib/apk/db/installed") ? "apk"
                : Exists(guest, "/var/lib/pacman/local") ? "pacman"
                : null,
            PackageManager = FirstExisting(guest, [
                ("/usr/bin/apt-get", "apt"), ("/usr/bin/dnf", "dnf"), ("/usr/bin/yum", "yum"),
                ("/usr/bin/zypper", "zypper"), ("/sbin/apk", "apk"), ("/usr/bin/pacman", "pacman")]),
            InitSystem = InitSystem(guest),
            Kernels = Kernels(guest, problems),
        };
    }

    private static IReadOnlyDictionary<string, string> ReadOsRelease(IFileSystem guest, ICollection<string> problems)
    {
        // os-release(5): /etc/os-release takes precedence; /usr/lib/os-release is the fallback.
        foreach (var path in new[] { "/etc/os-release", "/usr/lib/os-release" })
        {
            if (GuestFiles.ReadText(guest, path, SmallFile, problems) is { } text)
            {
                var parsed = OsRelease.Parse(text, path, problems);
                if (parsed.Count > 0)
                {
                    return parsed;
                }
            }
        }

        problems.Add("no readable os-release (/etc/os-release, /usr/lib/os-release): distro and version unknown");
        return new Dictionary<string, string>();
    }

    internal static (int? Major, int? Minor) SplitVersion(string? version)
    {
        if (version is null || VersionPattern().Match(version) is not { Success: true } m)
        {
            return (null, null);
        }

        var parts = m.Value.Split('.');
        int? major = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : null;
        int? minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : null;
        return (major, minor);
    }

    private static string? Hostname(IFileSystem guest, ICollection<string> problems)
    {
        foreach (var path in new[] { "/etc/hostname", "/etc/HOSTNAME" })
        {
            if (GuestFiles.ReadText(guest, path, SmallFile, problems) is { } text)
            {
                var name = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && l[0] != '#');
                if (name is not null)
                {
                    return OsRelease.Sanitize(name);
                }
            }
        }

        if (GuestFiles.ReadText(guest, "/etc/sysconfig/network", SmallFile, problems) is { } network)
        {
            var line = network.Split('\n').FirstOrDefault(l => l.StartsWith("HOSTNAME=", StringComparison.Ordinal));
            if (line is not null)
            {
                return OsRelease.Sanitize(line["HOSTNAME=".Length..].Trim('"', '\'', ' '));
            }
        }

        return null;
    }

    private static string? Architecture(IFileSystem guest, ICollection<string> problems)
    {
        var header = new byte[ElfMachine.HeaderLength];
        foreach (var path in new[] { "/bin/sh", "/usr/bin/sh", "/bin/ls", "/usr/bin/ls", "/sbin/init" })
        {
            FileSystemEntry? e;
            try
            {
                e = GuestFiles.Find(guest, path);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                problems.Add($"{path}: cannot be looked up: {ex.Message}");
                continue;
            }

            if (e is not { Type: EntryType.File } || e.Size < ElfMachine.HeaderLength)
            {
                continue;
            }

            try
            {
                using var s = guest.OpenRead(e);
                s.ReadExactly(header);
                if (ElfMachine.Name(header) is { } name)
                {
                    return name;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                problems.Add($"{path}: cannot be read: {ex.Message}");
            }
        }

        return null;
    }

    private static string? InitSystem(IFileSystem guest)
    {
        var init = SafeFind(guest, "/sbin/init");
        if (init?.Path.Contains("systemd", StringComparison.Ordinal) == true ||
            Exists(guest, "/lib/systemd/systemd") || Exists(guest, "/usr/lib/systemd/systemd"))
        {
            return "systemd";
        }

        if (Exists(guest, "/sbin/openrc") || Exists(guest, "/sbin/openrc-run"))
        {
            return "openrc";
        }

        if (Exists(guest, "/sbin/upstart") || Exists(guest, "/etc/init/rc-sysinit.conf"))
        {
            return "upstart";
        }

        return Exists(guest, "/etc/inittab") && init is not null ? "sysvinit" : null;
    }

    private static IReadOnlyList<InstalledKernel> Kernels(IFileSystem guest, ICollection<string> problems)
    {
        var boot = SafeFind(guest, "/boot");
        if (boot is not { Type: EntryType.Directory })
        {
            return [];
        }

        var list = new List<InstalledKernel>();
        try
        {
            var names = guest.ListDirectory(boot).ToList();
            foreach (var e in names.Where(e => e.Type == EntryType.File && KernelName().IsMatch(Name(e.Path))))
            {
                var version = KernelName().Match(Name(e.Path)).Groups[1].Value;
                var initrd = new[] { $"initrd.img-{version}", $"initramfs-{version}.img", $"initrd-{version}" }
                    .Select(n => names.FirstOrDefault(x => Name(x.Path) == n)?.Path)
                    .FirstOrDefault(p => p is not null);
                list.Add(new InstalledKernel
                {
                    Version = version,
                    Path = e.Path,
                    Size = e.Size,
                    Initrd = initrd,
                    Modules = Exists(guest, $"/lib/modules/{version}") || Exists(guest, $"/usr/lib/modules/{version}"),
                });
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            problems.Add($"/boot: cannot be listed: {ex.Message}");
        }

        return list;
    }

    private static string? FirstExisting(IFileSystem guest, (string Path, string Name)[] candidates) =>
        candidates.FirstOrDefault(c => Exists(guest, c.Path)).Name;

    internal static bool Exists(IFileSystem fs, string path) => SafeFind(fs, path) is not null;

    private static FileSystemEntry? SafeFind(IFileSystem fs, string path)
    {
        try
        {
            return GuestFiles.Find(fs, path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            return null;
        }
    }

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    [GeneratedRegex(@"^\d+(\.\d+)*")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"\(([A-Za-z][A-Za-z ]*?)\)")]
    private static partial Regex CodenamePattern();

    [GeneratedRegex(@"^(?:vmlinuz|vmlinux|kernel)-(.+)$")]
    private static partial Regex KernelName();
}
