using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests.Apt;

namespace VmTeleport.Guests.Boot;

/// <summary>
/// What the guest's files say about its bootloader: GRUB's directory (/boot/grub, or /grub on a
/// separate /boot filesystem) with its platforms, grub.cfg and version; SYSLINUX/EXTLINUX's
/// directory with ldlinux.sys. Volumes are searched so the partition holding the files is known;
/// the merged guest view serves when no volume has them.
/// </summary>
internal sealed record GuestBootFiles
{
    private static readonly string[] SyslinuxDirectories = ["/boot/extlinux", "/boot/syslinux", "/extlinux", "/syslinux"];

    /// <summary>The partition whose filesystem holds GRUB's directory, when a volume holds it.</summary>
    public Partition? GrubPartition { get; init; }

    /// <summary>GRUB's directory as the booted guest sees it ("/boot/grub"), or null when absent.</summary>
    public string? GrubDirectory { get; init; }

    /// <summary>Platform directories in it: "i386-pc", "x86_64-efi", ...</summary>
    public IReadOnlyList<string> GrubPlatforms { get; init; } = [];

    public string? GrubConfig { get; init; }

    public string? GrubVersion { get; init; }

    public Partition? SyslinuxPartition { get; init; }

    public string? SyslinuxDirectory { get; init; }

    public string? SyslinuxConfig { get; init; }

    public string? SyslinuxVersion { get; init; }

    public bool HasEfiGrub => GrubPlatforms.Any(p => p.EndsWith("-efi", StringComparison.Ordinal));

    public static GuestBootFiles Read(
        IReadOnlyList<(Partition Partition, IFileSystem? FileSystem)> volumes, IFileSystem? guest, ICollection<string> problems)
    {
        var result = new GuestBootFiles();
        if (Locate(volumes, guest, ["/boot/grub", "/grub"], problems) is { } grub)
        {
            var platforms = GuestFiles.ListNames(grub.Fs, grub.Path, problems)
                .Where(n => (n.EndsWith("-pc", StringComparison.Ordinal) || n.EndsWith("-efi", StringComparison.Ordinal))
                    && IsDirectory(grub.Fs, GuestFiles.Combine(grub.Path, n)))
                .ToList();
            result = result with
            {
                GrubPartition = grub.Partition,
                GrubDirectory = "/boot/grub",
                GrubPlatforms = platforms,
                GrubConfig = IsFile(grub.Fs, grub.Path + "/grub.cfg") ? "/boot/grub/grub.cfg" : null,
                GrubVersion = FindGrubVersion(grub.Fs, grub.Path, platforms, volumes, guest, problems),
            };
        }

        if (Locate(volumes, guest, SyslinuxDirectories, problems, mustHold: "ldlinux.sys") is { } sys)
        {
            string logical = sys.Path.StartsWith("/boot/", StringComparison.Ordinal) || sys.Partition is null ? sys.Path : "/boot" + sys.Path;
            string? config = new[] { "extlinux.conf", "syslinux.cfg" }.FirstOrDefault(n => IsFile(sys.Fs, GuestFiles.Combine(sys.Path, n)));
            result = result with
            {
                SyslinuxPartition = sys.Partition,
                SyslinuxDirectory = logical,
                SyslinuxConfig = config is null ? null : GuestFiles.Combine(logical, config),
                SyslinuxVersion = FindSyslinuxVersion(GuestFiles.ReadAll(sys.Fs, sys.Path + "/ldlinux.sys", problems)),
            };
        }

        return result;
    }

    /// <summary>The first volume (else the guest view) holding one of <paramref name="paths"/> as a directory.</summary>
    private static (IFileSystem Fs, string Path, Partition? Partition)? Locate(
        IReadOnlyList<(Partition Partition, IFileSystem? FileSystem)> volumes, IFileSystem? guest, string[] paths,
        ICollection<string> problems, string? mustHold = null)
    {
        bool Holds(IFileSystem fs, string path) =>
            IsDirectory(fs, path) && (mustHold is null || IsFile(fs, GuestFiles.Combine(path, mustHold)));

        foreach (var (partition, fs) in volumes)
        {
            if (fs is not null && paths.FirstOrDefault(p => Holds(fs, p)) is { } found)
            {
                return (fs, found, partition);
            }
        }

        // The merged view names everything from the guest's root, so only "/boot/..." paths apply.
        if (guest is not null && paths.FirstOrDefault(p => p.StartsWith("/boot/", StringComparison.Ordinal) && Holds(guest, p)) is { } inGuest)
        {
            return (guest, inGuest, null);
        }

        return null;
    }

    /// <summary>
    /// grub_package_version from modinfo.sh, which grub-install copies beside the modules; else
    /// from the installed package's copy in /usr/lib/grub (what grub-install would have used).
    /// </summary>
    private static string? FindGrubVersion(
        IFileSystem fs, string grubPath, List<string> platforms,
        IReadOnlyList<(Partition Partition, IFileSystem? FileSystem)> volumes, IFileSystem? guest, ICollection<string> problems)
    {
        var candidates = platforms.Select(p => (fs, $"{grubPath}/{p}/modinfo.sh")).ToList();
        var roots = new List<IFileSystem>();
        if (guest is not null)
        {
            roots.Add(guest);
        }

        roots.AddRange(volumes.Select(v => v.FileSystem).OfType<IFileSystem>());
        foreach (var root in roots)
        {
            candidates.AddRange(platforms.Select(p => (root, $"/usr/lib/grub/{p}/modinfo.sh")));
        }

        foreach (var (where, path) in candidates)
        {
            if (!IsFile(where, path) || GuestFiles.ReadAll(where, path, problems) is not { } bytes)
            {
                continue;
            }

            var text = System.Text.Encoding.UTF8.GetString(bytes);
            if ((ShellValue(text, "grub_package_version") ?? ShellValue(text, "grub_version")) is { } version)
            {
                return version;
            }
        }

        return null;
    }

    /// <summary>The value of NAME="value" (or NAME='value') in a shell fragment.</summary>
    private static string? ShellValue(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            var l = line.Trim();
            if (l.StartsWith(name + "=", StringComparison.Ordinal))
            {
                var value = l[(name.Length + 1)..].Trim('"', '\'');
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    /// <summary>"6.04" from the banner "SYSLINUX 6.04 ..." / "EXTLINUX 6.04 ..." inside ldlinux.sys.</summary>
    private static string? FindSyslinuxVersion(byte[]? ldlinux)
    {
        if (ldlinux is null)
        {
            return null;
        }

        foreach (var banner in new[] { "SYSLINUX "u8.ToArray(), "EXTLINUX "u8.ToArray() })
        {
            var span = ldlinux.AsSpan();
            for (int at = span.IndexOf(banner); at >= 0; at = NextIndex(span, banner, at))
            {
                int start = at + banner.Length;
                int end = start;
                while (end < span.Length && end - start < 32 && (char.IsAsciiDigit((char)span[end]) || span[end] is (byte)'.' or (byte)'-' or (byte)'~' || char.IsAsciiLetter((char)span[end])))
                {
                    end++;
                }

                if (end > start && char.IsAsciiDigit((char)span[start]))
                {
                    return System.Text.Encoding.ASCII.GetString(span[start..end]);
                }
            }
        }

        return null;
    }

    private static int NextIndex(ReadOnlySpan<byte> span, ReadOnlySpan<byte> value, int after)
    {
        int i = span[(after + 1)..].IndexOf(value);
        return i < 0 ? -1 : after + 1 + i;
    }

    private static bool IsDirectory(IFileSystem fs, string path) =>
        GuestFiles.TryResolve(fs, path, out var e, out _) && e!.Type == EntryType.Directory;

    private static bool IsFile(IFileSystem fs, string path) =>
        GuestFiles.TryResolve(fs, path, out var e, out _) && e!.Type == EntryType.File;
}
