using System.Globalization;
using VmTeleport.Content.Layout;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild;

/// <summary>
/// Where a rebuild keeps its staging trees and raw disk: in memory (a tmpfs such as /dev/shm) when
/// the estimate fits <see cref="RebuildOptions.MemoryLimit"/>, half of MemAvailable and the free
/// space there, else next to the output. On the host's disk filesystem, creating 13,722 files
/// right after a tree of the same size was deleted cost 5–35 s in ext4's inode allocator
/// (recently_deleted), and mkfs's 190,000 small writes go through its block allocator; tmpfs has
/// neither. The directory is created mode 0700: staged setuid files must not be reachable by others.
/// </summary>
public static class WorkLocation
{
    /// <summary>
    /// Bytes the work directory may hold at its fullest: the largest volume's staging tree (they
    /// are staged one at a time) and the raw disk's data. A staging tree holds at most its files'
    /// sizes and at most the volume's size (sparse files stay sparse), plus a page per entry; a
    /// volume's part of the raw disk holds at most that plus its inode tables and journal, and at
    /// most the volume's size.
    /// </summary>
    public static long Estimate(DiskLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        long largestStaging = 0, raw = 0;
        foreach (var volume in layout.Volumes)
        {
            var p = volume.Parameters;
            long data = Math.Min(volume.Entries.Where(e => e.Type == EntryType.File).Sum(e => RoundUp(e.Size)), volume.Length);
            long staging = data + (4096L * volume.Entries.Count);
            largestStaging = Math.Max(largestStaging, staging);
            raw += Math.Min(volume.Length, staging + ((long)p.InodeCount * p.InodeSize) + p.JournalSize);
        }

        raw += layout.Items.Where(i => i.Kind == Content.Images.ContentItemKind.Region).Sum(i => RoundUp(i.Size));
        return largestStaging + raw;
    }

    /// <summary>The memory directory if the estimate fits there, else null; <paramref name="why"/> says which limit decided.</summary>
    public static string? MemoryDirectory(DiskLayout layout, RebuildOptions options, out string why)
    {
        ArgumentNullException.ThrowIfNull(options);
        long need = Estimate(layout);
        if (options.MemoryLimit <= 0 || !Directory.Exists(options.MemoryDirectory))
        {
            why = options.MemoryLimit <= 0 ? "memory limit 0" : $"{options.MemoryDirectory} does not exist";
            return null;
        }

        long free = new DriveInfo(options.MemoryDirectory).AvailableFreeSpace;
        long available = MemAvailable() / 2;
        var (limit, name) = new[] { (options.MemoryLimit, "limit"), (free, "free space"), (available, "half of MemAvailable") }.MinBy(x => x.Item1);
        why = string.Create(CultureInfo.InvariantCulture, $"needs ~{need >> 20} MiB; {name} {limit >> 20} MiB");
        return need <= limit ? options.MemoryDirectory : null;
    }

    /// <summary>Creates the work directory: in memory if it fits, else OUTPUT.work.</summary>
    public static (string Path, bool InMemory) Create(DiskLayout layout, string output, RebuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("rebuild needs Linux (mkfs.ext4, debugfs, the *at calls of staging)");
        }

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var memory = MemoryDirectory(layout, options, out _);
        if (memory is not null)
        {
            var path = Path.Combine(memory, $"vmteleport-rebuild-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(path, Private);
            return (path, true);
        }

        var work = output + ".work";
        Directory.CreateDirectory(work, Private);
        return (work, false);
    }

    private static long RoundUp(long n) => (n + 4095) & ~4095L;

    private static long MemAvailable()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kib is null ? 0 : long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
