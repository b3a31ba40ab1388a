using System.Globalization;
using System.Text.RegularExpressions;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.FileSystems.Ext;

namespace VmTeleport.Guests.Volumes;

/// <summary>
/// A guest's disk opened for inspection: every partition probed and given a role, then the root
/// filesystem's fstab read and the other filesystems mounted into one <see cref="GuestView"/>.
/// What cannot be read is recorded in <see cref="Problems"/> and the rest goes on. Owns the
/// filesystems it opened, not the disk.
/// </summary>
public sealed partial class GuestDisk : IDisposable
{
    private readonly List<IFileSystem> _opened = [];

    private GuestDisk(IBlockSource disk, PartitionTable table)
    {
        Disk = disk;
        Table = table;
    }

    public IBlockSource Disk { get; }

    public PartitionTable Table { get; }

    /// <summary>Every partition (or the whole disk) with what is on it, in partition order.</summary>
    public IReadOnlyList<GuestVolume> Volumes { get; private set; } = [];

    /// <summary>The partitions with the filesystem opened on each (null where none is readable).</summary>
    public IReadOnlyList<(Partition Partition, IFileSystem? FileSystem)> PartitionFileSystems { get; private set; } = [];

    public IReadOnlyList<FstabEntry> Fstab { get; private set; } = [];

    /// <summary>The merged view of the guest's filesystems, or null when no root filesystem was found.</summary>
    public GuestView? Guest { get; private set; }

    public IReadOnlyList<string> Problems => _problems;

    private readonly List<string> _problems = [];

    public static GuestDisk Open(IBlockSource disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var table = PartitionTable.Read(disk);
        var g = new GuestDisk(disk, table);
        try
        {
            g.Probe();
            return g;
        }
        catch
        {
            g.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var fs in _opened)
        {
            fs.Dispose();
        }

        _opened.Clear();
    }

    private void Probe()
    {
        _problems.AddRange(Table.Notes.Select(n => $"partition table: {n}"));
        var found = new List<(GuestVolume Volume, Partition? Partition, IFileSystem? Fs)>();
        if (Table.Scheme == PartitionScheme.None)
        {
            found.Add(ProbeVolume(Disk, null));
        }
        else
        {
            foreach (var p in Table.Partitions)
            {
                found.Add(ProbeVolume(new BlockSlice(Disk, p.Offset, p.Length, $"{Disk.Description} partition {p.Number}"), p));
            }
        }

        PartitionFileSystems = [.. found.Where(f => f.Partition is not null).Select(f => (f.Partition!, f.Fs))];
        var roots = found.Where(f => f.Volume.Role == "root").ToList();
        if (roots.Count == 0)
        {
            _problems.Add("no root filesystem found (no filesystem with /etc and os-release, fstab or /bin)");
            Volumes = [.. found.Select(f => f.Volume)];
            return;
        }

        if (roots.Count > 1)
        {
            _problems.Add($"several root filesystems found (partitions {string.Join(", ", roots.Select(r => r.Volume.Partition))}); the first is described");
        }

        var root = roots[0];
        var fstabText = GuestFiles.ReadText(root.Fs!, VmTeleport.Guests.Volumes.Fstab.Path, 1 << 20, _problems);
        if (fstabText is null)
        {
            _problems.Add("/etc/fstab is missing: only the root filesystem is described");
        }

        var entries = fstabText is null ? [] : VmTeleport.Guests.Volumes.Fstab.Parse(fstabText, _problems);
        var resolved = entries.Select(e => e with { ResolvedPartition = Resolve(e.Spec, found) }).ToList();
        Fstab = resolved;

        var mountPoints = new Dictionary<int, string>();
        var mounts = new List<(string, IFileSystem)>();
        foreach (var e in resolved)
        {
            bool isSwap = e.Type == "swap";
            if (e.ResolvedPartition is not int number)
            {
                // Swap files, tmpfs, proc, network filesystems and the like name no partition by design.
                if (NamesBlockDevice(e.Spec))
                {
                    _problems.Add($"/etc/fstab:{e.Line}: {e.Spec} ({e.MountPoint}) names no partition of this disk");
                }

                continue;
            }

            var v = found.First(f => f.Volume.Partition == number);
            mountPoints.TryAdd(number, isSwap ? "swap" : e.MountPoint);
            if (isSwap || e.MountPoint == "/")
            {
                if (e.MountPoint == "/" && v.Volume.Partition != root.Volume.Partition)
                {
                    _problems.Add($"/etc/fstab:{e.Line}: mounts partition {number} at /, but the root filesystem found is on partition {root.Volume.Partition}");
                }

                continue;
            }

            if (v.Fs is null)
            {
                _problems.Add($"/etc/fstab:{e.Line}: {e.MountPoint} is on partition {number} ({v.Volume.Type}), which VM Teleport does not read; its files are not described");
                continue;
            }

            if (!e.MountPoint.StartsWith('/') || mounts.Any(m => m.Item1 == e.MountPoint))
            {
                _problems.Add($"/etc/fstab:{e.Line}: mount point {e.MountPoint} is not usable (relative or mounted twice), skipped");
                continue;
            }

            mounts.Add((e.MountPoint, v.Fs));
        }

        mountPoints.TryAdd(root.Volume.Partition, "/");
        Volumes = [.. found.Select(f => mountPoints.TryGetValue(f.Volume.Partition, out var mp) ? f.Volume with { MountPoint = mp } : f.Volume)];
        Guest = new GuestView(root.Fs!, mounts);
        ReportShadowed(root.Fs!, mounts);
    }

    private (GuestVolume, Partition?, IFileSystem?) ProbeVolume(IBlockSource source, Partition? p)
    {
        var volume = new GuestVolume
        {
            Partition = p?.Number ?? 0,
            Offset = p?.Offset ?? 0,
            Length = p?.Length ?? source.Length,
            PartitionType = p is null ? null : p.TypeGuid is Guid t ? t.ToString() : p.MbrType is byte b ? $"0x{b:x2}" : null,
            Type = "unknown",
            Role = "unknown",
        };
        if (FileSystemProbe.Detect(source) is not null)
        {
            IFileSystem fs;
            try
            {
                fs = FileSystemProbe.Open(source);
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
            {
                _problems.Add($"{source.Description}: cannot be read: {e.Message}");
                return (volume with { Type = "unreadable" }, p, null);
            }

            _opened.Add(fs);
            var ext = fs as Ext4FileSystem;
            return (volume with
            {
                Type = fs.Type,
                Uuid = fs.Uuid.ToString(),
                Label = fs.Label.Length == 0 ? null : fs.Label,
                Features = ext?.Features ?? [],
                BlockSize = ext?.BlockSize,
                InodeSize = ext?.InodeSize,
                Size = ext is null ? null : (long)ext.BlockCount * ext.BlockSize,
                Used = ext is null ? null : (long)(ext.BlockCount - Math.Min(ext.FreeBlockCount, ext.BlockCount)) * ext.BlockSize,
                Role = VolumeRole.Of(fs),
                Warnings = fs.Warnings,
            }, p, fs);
        }

        if (ForeignVolume.Probe(source) is var (type, uuid, label))
        {
            bool esp = p?.TypeGuid?.ToString() == VolumeRole.EspTypeGuid || p?.MbrType == 0xEF;
            return (volume with
            {
                Type = type,
                Uuid = uuid,
                Label = label,
                Role = type == "swap" ? "swap" : esp ? "esp" : "data",
            }, p, null);
        }

        return (volume, p, null);
    }

    private int? Resolve(string spec, List<(GuestVolume Volume, Partition? Partition, IFileSystem? Fs)> found)
    {
        static string? After(string s, string prefix, string alias) =>
            s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..]
            : s.StartsWith(alias, StringComparison.Ordinal) ? s[alias.Length..]
            : null;

        if (After(spec, "UUID=", "/dev/disk/by-uuid/") is { } uuid)
        {
            return found.FirstOrDefault(f => string.Equals(f.Volume.Uuid, uuid.Trim('"'), StringComparison.OrdinalIgnoreCase)).Volume?.Partition;
        }

        if (After(spec, "LABEL=", "/dev/disk/by-label/") is { } label)
        {
            return found.FirstOrDefault(f => f.Volume.Label == label.Trim('"')).Volume?.Partition;
        }

        if (After(spec, "PARTUUID=", "/dev/disk/by-partuuid/") is { } partuuid)
        {
            partuuid = partuuid.Trim('"');
            return found.FirstOrDefault(f => f.Partition is { } p &&
                (string.Equals(p.PartitionGuid?.ToString(), partuuid, StringComparison.OrdinalIgnoreCase) ||
                 (Table.MbrSignature is uint sig && string.Equals($"{sig:x8}-{p.Number:x2}", partuuid, StringComparison.OrdinalIgnoreCase))))
                .Volume?.Partition;
        }

        if (After(spec, "PARTLABEL=", "/dev/disk/by-partlabel/") is { } partlabel)
        {
            return found.FirstOrDefault(f => f.Partition?.Name == partlabel.Trim('"')).Volume?.Partition;
        }

        // Kernel names on the first disk, the one this image becomes: sda1, vda1, xvda1, nvme0n1p1.
        var m = DeviceName().Match(spec);
        if (m.Success)
        {
            int n = m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : 0;
            return found.Any(f => f.Volume.Partition == n) ? n : null;
        }

        return null;
    }

    private static bool NamesBlockDevice(string spec) =>
        spec.StartsWith("/dev/", StringComparison.Ordinal) ||
        spec.StartsWith("UUID=", StringComparison.Ordinal) || spec.StartsWith("LABEL=", StringComparison.Ordinal) ||
        spec.StartsWith("PARTUUID=", StringComparison.Ordinal) || spec.StartsWith("PARTLABEL=", StringComparison.Ordinal);

    private void ReportShadowed(IFileSystem root, List<(string MountPoint, IFileSystem Fs)> mounts)
    {
        foreach (var (mp, _) in mounts)
        {
            try
            {
                var dir = root.GetEntry(mp);
                if (dir.Type == EntryType.Directory && root.ListDirectory(dir).Any())
                {
                    _problems.Add($"{mp}: the root filesystem has files under this mount point; they are hidden by the filesystem mounted there and not described");
                }
            }
            catch (FileNotFoundException)
            {
                // A mount point below another mounted filesystem, or missing: the kernel would fail
                // the mount; the view still shows the filesystem there.
            }
        }
    }

    [GeneratedRegex(@"^/dev/(?:(?:[shv]d|xvd)[a-z](?<n>\d+)?|nvme0n1(?:p(?<n>\d+))?|mmcblk0(?:p(?<n>\d+))?)$")]
    private static partial Regex DeviceName();
}
