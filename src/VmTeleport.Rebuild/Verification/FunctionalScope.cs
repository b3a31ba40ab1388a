using System.Text.Json;
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
