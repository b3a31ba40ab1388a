using VmTeleport.Content.Images;
using VmTeleport.Content.Layout;

namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// What makes a rebuild a functional copy (docs/functional-copy.md): the packages to install at a
/// newer version, the source files not staged because those versions replace them, and where each
/// ext volume is mounted in the guest, so the chroot sees the guest's merged tree.
/// </summary>
public sealed class FunctionalRebuild
{
    public required IReadOnlyList<PackageUpgrade> Upgrades { get; init; }

    /// <summary>Guest paths of the old versions' unmodified, non-conffile files: left out of the staging tree.</summary>
    public required IReadOnlySet<string> SkippedGuestPaths { get; init; }

    /// <summary>Guest paths that must stay exactly as in the source even when a newer package ships them (files the source changed).</summary>
    public IReadOnlySet<string> KeepSourceGuestPaths { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Volume number → its mount point in the guest ("/" for the root); volumes mounted nowhere are absent.</summary>
    public required IReadOnlyDictionary<int, string> MountPoints { get; init; }

    /// <summary>Longest dpkg may run before it is killed and the rebuild fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Receives one line per step (mounts, dpkg's exit, what was kept and discarded).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Asked when dpkg refuses packages (name → why; the refused ones and the newer packages that
    /// name them in their relations): returns a provider of those packages' old files as the source
    /// has them (a pull fetches them now), and the rebuild rolls them back to the source's version in
    /// place. Null, or no callback, fails the rebuild with <see cref="PackageInstallException"/>.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>, IContentProvider?>? Refused { get; init; }

    /// <summary>Set by the rebuild once dpkg has run, before the caller's verify sees the disk.</summary>
    public FunctionalResult? Result { get; internal set; }

    /// <summary>
    /// Each volume's mount point in the guest, from the layout's files (guest path = mount point +
    /// path in the volume); a volume none of whose files the guest shows is mounted nowhere.
    /// </summary>
    public static Dictionary<int, string> MountPointsOf(DiskLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var mounts = new Dictionary<int, string>();
        foreach (var item in layout.Items)
        {
            if (item.Kind != ContentItemKind.File || item.GuestPath is null || mounts.ContainsKey(item.Volume ?? 0)
                || !item.GuestPath.EndsWith(item.Path!, StringComparison.Ordinal))
            {
                continue;
            }

            var mount = item.GuestPath[..^item.Path!.Length];
            mounts[item.Volume ?? 0] = mount.Length == 0 ? "/" : mount;
        }

        return mounts;
    }

    /// <summary>
    /// The old versions' files a rebuild need not stage: regular files their .list names, except
    /// conffiles (dpkg compares them with what it shipped to decide whether the administrator
    /// changed them, so they must be there as the source has them) and files to keep as the source has them.
    /// </summary>
    public static HashSet<string> SkippableFiles(IEnumerable<string> listedPaths, IEnumerable<string> conffiles, IEnumerable<string> regularFiles, IReadOnlySet<string>? keepSource = null)
    {
        var files = regularFiles.ToHashSet(StringComparer.Ordinal);
        var skip = listedPaths.Where(files.Contains).ToHashSet(StringComparer.Ordinal);
        skip.ExceptWith(conffiles);
        if (keepSource is not null)
        {
            skip.ExceptWith(keepSource);
        }

        return skip;
    }
}
