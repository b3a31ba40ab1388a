using System.Text.Json;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Volumes;
using VmTeleport.Rebuild.Functional;

namespace VmTeleport.Rebuild.Verification;

/// <summary>
/// What a functional copy may change, for verification: the files the old and new versions of its
/// upgraded packages own, their dpkg info files and the status file (by guest path), and the size
/// and link count of the directories holding them (a directory with more or fewer names is another
/// size). A difference anywhere else — another file, another field of a parent directory, a byte
/// outside the filesystems — is not explained, and the copy is then neither exact nor functional.
/// </summary>
public sealed class FunctionalScope
{
    private static readonly HashSet<string> DirectoryFields = new(StringComparer.Ordinal) { "size", "nlink" };
    private readonly HashSet<string> _paths;
    private readonly HashSet<string> _parents = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<int, string> _mountPoints;

    public FunctionalScope(IEnumerable<string> guestPaths, IReadOnlyDictionary<int, string> mountPoints, IReadOnlyList<PackageUpgrade> packages)
    {
        ArgumentNullException.ThrowIfNull(guestPaths);
        _paths = guestPaths.ToHashSet(StringComparer.Ordinal);
        _mountPoints = mountPoints ?? throw new ArgumentNullException(nameof(mountPoints));
        Packages = packages ?? throw new ArgumentNullException(nameof(packages));
        foreach (var p in _paths)
        {
            var slash = p.LastIndexOf('/');
            _parents.Add(slash <= 0 ? "/" : p[..slash]);
        }
    }

    /// <summary>The packages whose versions differ (name, architecture, source's version, copy's version).</summary>
    public IReadOnlyList<PackageUpgrade> Packages { get; }

    public static FunctionalScope From(FunctionalResult result, IReadOnlyDictionary<int, string> mountPoints)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new FunctionalScope(result.ScopeGuestPaths, mountPoints, result.Upgraded);
    }

    /// <summary>
    /// The scope two images imply, for `verify --allow-newer`: the packages whose installed version
    /// differs between their dpkg databases (same name and architecture), every path their .list
    /// names in either image, their dpkg info files in either, and the status file. A package
    /// installed on one side only is not a newer version: it stays a difference.
    /// </summary>
    public static FunctionalScope FromImages(string source, string target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        using var a = DiskImage.Open(source);
        using var b = DiskImage.Open(target);
        using var ga = GuestDisk.Open(a);
        using var gb = GuestDisk.Open(b);
        if (ga.Guest is not { } va || gb.Guest is not { } vb)
        {
            return new FunctionalScope([], new Dictionary<int, string>(), []);
        }

        var problems = new List<string>();
        var da = DpkgDatabase.Read(va, problems);
        var db = DpkgDatabase.Read(vb, problems);
        if (da is null || db is null)
        {
            return new FunctionalScope([], new Dictionary<int, string>(), []);
        }

        var newer = db.Packages.ToDictionary(p => (p.Name, p.Architecture));
        var upgrades = da.Packages
            .Where(p => newer.TryGetValue((p.Name, p.Architecture), out var n) && n.Version != p.Version)
            .Select(p => new PackageUpgrade(p.Name, p.Architecture, p.InfoName, p.Version, newer[(p.Name, p.Architecture)].Version, ""))
            .ToList();
        var paths = new HashSet<string>(StringComparer.Ordinal) { DpkgDatabase.AdminDir + "/status" };
        foreach (var view in new[] { va, vb })
        {
            var resolver = new GuestPathResolver(path => LinkTarget(view, path));
            var info = GuestFiles.ListNames(view, DpkgDatabase.AdminDir + "/info", problems);
            foreach (var u in upgrades)
            {
                var list = GuestFiles.ReadText(view, $"{DpkgDatabase.AdminDir}/info/{u.InfoName}.list", long.MaxValue, problems) ?? "";
                paths.UnionWith(DpkgInfoFiles.ListedPaths(list).Select(resolver.Canonical));
                paths.UnionWith(info.Where(n => DpkgInfoFiles.BelongsTo(n, u.InfoName)).Select(n => $"{DpkgDatabase.AdminDir}/info/{n}"));
            }
        }

        var mounts = ga.Volumes.Where(v => v.MountPoint is not null).ToDictionary(v => v.Partition, v => v.MountPoint!);
        return new FunctionalScope(paths, mounts, upgrades);
    }

    /// <summary>The target of a symlink at <paramref name="path"/> itself (not followed), or null.</summary>
    private static string? LinkTarget(GuestView view, string path)
    {
        try
        {
            var e = view.GetEntry(path);
            return e.Type == EntryType.Symlink ? e.Target : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether the difference is one a functional copy is allowed to have.</summary>
    public bool Explains(Difference difference)
    {
        ArgumentNullException.ThrowIfNull(difference);
        string? guest = GuestPath(difference);
        if (guest is null)
        {
            return false;
        }

        if (_paths.Contains(guest))
        {
            return true;
        }

        return _parents.Contains(guest) && DirectoryFields.Contains(difference.Field)
            && (difference.Source is null or "\"dir\"" || IsNumber(difference.Source));
    }

    private static bool IsNumber(string json) => json.Length > 0 && (char.IsAsciiDigit(json[0]) || json[0] == '-');

    private string? GuestPath(Difference d)
    {
        if (d.Scope == "guest")
        {
            return d.Path;
        }

        if (!d.Scope.StartsWith("volume ", StringComparison.Ordinal) || !int.TryParse(d.Scope.AsSpan(7), out var number)
            || !_mountPoints.TryGetValue(number, out var mount))
        {
            return null;
        }

        if (mount == "/")
        {
            return d.Path.Length == 0 ? "/" : d.Path;
        }

        return d.Path is "" or "/" ? mount : mount.TrimEnd('/') + d.Path;
    }

    /// <summary>One line per package for logs and reports: "name old → new".</summary>
    public IEnumerable<string> Describe() => Packages.Select(p => $"{p.Name} {p.OldVersion} → {p.NewVersion}");

    public override string ToString() => JsonSerializer.Serialize(Describe());
}
