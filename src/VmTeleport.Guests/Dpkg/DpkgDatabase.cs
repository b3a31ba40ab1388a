using System.Globalization;
using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// dpkg's database read from a guest (dpkg(1) FILES; deb-status(5), deb-md5sums(5),
/// dpkg-divert(1)): the installed packages, and for every path in the guest the packages that
/// own it with the md5 each shipped. Paths are stored as they are on the guest today: diversions
/// applied and directories resolved through symlinks, so that /bin/ls listed by coreutils is
/// found at /usr/bin/ls on a merged-/usr system, as dpkg --verify finds it.
/// </summary>
public sealed partial class DpkgDatabase
{
    public const string AdminDir = "/var/lib/dpkg";
    private const long MaxStatusBytes = 256L << 20;
    private const long MaxInfoFileBytes = 64L << 20;

    /// <summary>States in which a package has files on disk (deb-status(5)).</summary>
    private static readonly HashSet<string> StatesWithFiles =
        ["installed", "half-installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending", "config-files"];

    private readonly Dictionary<string, List<FileOwner>> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _resolvedDirs = new(StringComparer.Ordinal);
    private readonly IFileSystem _guest;

    private DpkgDatabase(IFileSystem guest) => _guest = guest;

    /// <summary>Every package in the status file except those dpkg lists as not-installed, sorted by name and architecture.</summary>
    public IReadOnlyList<DpkgPackage> Packages { get; private set; } = [];

    public IReadOnlyList<DpkgDiversion> Diversions { get; private set; } = [];

    /// <summary>Paths owned by at least one package, as they are in the guest.</summary>
    public IEnumerable<string> OwnedPaths => _owners.Keys;

    /// <summary>The packages that own <paramref name="path"/> (a guest path), none when unowned.</summary>
    public IReadOnlyList<FileOwner> OwnersOf(string path) =>
        _owners.TryGetValue(path, out var list) ? list : [];

    /// <summary>The database of <paramref name="guest"/>, or null when it has no /var/lib/dpkg/status.</summary>
    public static DpkgDatabase? Read(IFileSystem guest, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(guest);
        ArgumentNullException.ThrowIfNull(problems);
        var statusText = GuestFiles.ReadText(guest, AdminDir + "/status", MaxStatusBytes, problems);
        if (statusText is null)
        {
            return null;
        }

        var db = new DpkgDatabase(guest);
        db.Load(statusText, problems);
        return db;
    }

    private void Load(string statusText, ICollection<string> problems)
    {
        var packages = new List<DpkgPackage>();
        foreach (var p in ControlFile.Parse(new StringReader(statusText), AdminDir + "/status", problems))
        {
            if (ToPackage(p, problems) is { } pkg && pkg.State != "not-installed")
            {
                packages.Add(pkg);
            }
        }

        Diversions = ReadDiversions(problems);
        var info = ListInfoDirectory(problems);
        var complete = new List<DpkgPackage>(packages.Count);
        foreach (var pkg in packages)
        {
            complete.Add(StatesWithFiles.Contains(pkg.State) ? LoadFiles(pkg, info, problems) : pkg);
        }

        Packages = [.. complete.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Architecture, StringComparer.Ordinal)];
    }

    private static DpkgPackage? ToPackage(ControlParagraph p, ICollection<string> problems)
    {
        var name = p["Package"];
        if (string.IsNullOrEmpty(name))
        {
            problems.Add($"{p.Where}: paragraph without a Package field, skipped");
            return null;
        }

        var status = p["Status"];
        var words = status?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (words.Length != 3)
        {
            problems.Add($"{p.Where}: package {name} has no valid Status field (\"want flag state\"), skipped");
            return null;
        }

        var version = p["Version"];
        var arch = p["Architecture"];
        if (words[2] != "not-installed" && words[2] != "config-files" && (string.IsNullOrEmpty(version) || string.IsNullOrEmpty(arch)))
        {
            problems.Add($"{p.Where}: package {name} is {words[2]} but has no {(string.IsNullOrEmpty(version) ? "Version" : "Architecture")} field, skipped");
            return null;
        }

        var (source, sourceVersion) = ParseSource(p["Source"], name, version ?? string.Empty);
        long? size = long.TryParse(p["Installed-Size"], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) && kib < long.MaxValue / 1024
            ? kib * 1024
            : null;
        return new DpkgPackage
        {
            Name = name,
            Version = version ?? string.Empty,
            Architecture = arch ?? string.Empty,
            Source = source,
            SourceVersion = sourceVersion,
            Status = string.Join(' ', words),
            State = words[2],
            InstalledSize = size,
            Section = p["Section"],
            Priority = p["Priority"],
            MultiArch = p["Multi-Arch"],
            Essential = p["Essential"] == "yes",
            Conffiles = ParseConffiles(p, name, problems),
        };
    }

    internal static (string Name, string Version) ParseSource(string? field, string name, string version)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return (name, version);
        }

        // "Source: name (version)" when the binary's version differs from its source's.
        int open = field.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && field.EndsWith(')'))
        {
            return (field[..open].Trim(), field[(open + 1)..^1].Trim());
        }

        return (field.Trim(), version);
    }

    private static IReadOnlyList<DpkgConffile> ParseConffiles(ControlParagraph p, string name, ICollection<string> problems)
    {
        var field = p["Conffiles"];
        if (string.IsNullOrEmpty(field))
        {
            return [];
        }

        var list = new List<DpkgConffile>();
        foreach (var line in field.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // " /etc/path md5 [obsolete] [remove-on-upgrade]"; the path may contain blanks, so
            // the md5 and flags are taken from the end.
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            bool removeOnUpgrade = parts.Count > 2 && parts[^1] == "remove-on-upgrade" && parts.Remove("remove-on-upgrade");
            bool obsolete = parts.Count > 2 && parts[^1] == "obsolete" && parts.Remove("obsolete");
            if (parts.Count < 2 || !parts[0].StartsWith('/'))
            {
                problems.Add($"{p.Where}: package {name}: conffile line is not \"/path md5\": {ControlFile.Excerpt(line)}");
                continue;
            }

            var md5 = parts[^1];
            var path = string.Join(' ', parts.Take(parts.Count - 1));
            list.Add(new DpkgConffile(path, IsMd5(md5) ? md5.ToLowerInvariant() : null, obsolete, removeOnUpgrade));
        }

        return list;
    }

    private IReadOnlyList<DpkgDiversion> ReadDiversions(ICollection<string> problems)
    {
        var text = GuestFiles.ReadText(_guest, AdminDir + "/diversions", MaxInfoFileBytes, problems);
        if (text is null)
        {
            return [];
        }

        var lines = text.Split('\n');
        int count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        if (count % 3 != 0)
        {
            problems.Add($"{AdminDir}/diversions: {count} lines, not a multiple of 3 (from, to, package); the incomplete last entry is ignored");
        }

        var list = new List<DpkgDiversion>();
        for (int i = 0; i + 2 < count; i += 3)
        {
            list.Add(new DpkgDiversion(lines[i], lines[i + 1], lines[i + 2] == ":" ? null : lines[i + 2]));
        }

        return list;
    }

    private HashSet<string> ListInfoDirectory(ICollection<string> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (GuestFiles.Find(_guest, AdminDir + "/info") is { Type: EntryType.Directory } dir)
            {
                foreach (var e in _guest.ListDirectory(dir))
                {
                    names.Add(e.Path[(e.Path.LastIndexOf('/') + 1)..]);
                }
            }
            else
            {
                problems.Add($"{AdminDir}/info is missing: no package's files are known");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            problems.Add($"{AdminDir}/info cannot be listed: {e.Message}");
        }

        return names;
    }

    private static bool IsMd5(string s) => s.Length == 32 && s.All(char.IsAsciiHexDigit);
}
