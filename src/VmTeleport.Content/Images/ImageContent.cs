using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Content.Images;

/// <summary>
/// Everything of a disk image a destination could rebuild from or a source must send, as
/// <see cref="ContentItem"/>s: first the raw regions (allocated, non-zero bytes outside the
/// ext filesystems: MBR boot code, the post-MBR gap, BIOS boot partitions, ESPs, swap, partitions
/// we do not read), in disk order; then, volume by volume in partition order, every regular file
/// of each ext filesystem in walk order, each hashed and chunked on its own. Streaming: files are
/// read <c>threads</c> at a time through <see cref="HashedWalk"/>, memory stays bounded by that
/// window and one region's chunk list. Standalone: the destination's index and the source's
/// planner use the same walk, so both cut the same chunks.
/// </summary>
public static class ImageContent
{
    /// <summary>
    /// Walks <paramref name="disk"/> (not disposed). Corrupt partition tables and filesystem
    /// structures throw <see cref="InvalidDataException"/>; a partition whose ext filesystem
    /// cannot be opened is walked as a raw region instead, like any partition we do not read.
    /// </summary>
    public static IEnumerable<ContentItem> Walk(IBlockSource disk, int threads)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return WalkIterator(disk, threads);
    }

    private static IEnumerable<ContentItem> WalkIterator(IBlockSource disk, int threads)
    {
        using var guest = GuestDisk.Open(disk);
        var volumes = new List<(int Number, long Offset, long Length, string Type, IFileSystem? Fs, string? MountPoint)>();
        try
        {
            var table = guest.Table;
            var parts = table.Scheme == PartitionScheme.None
                ? [new Partition(0, 0, disk.Length)]
                : table.Partitions.OrderBy(p => p.Offset).ToList();
            foreach (var p in parts)
            {
                var described = guest.Volumes.FirstOrDefault(v => v.Partition == p.Number);
                IFileSystem? fs = null;
                var slice = p.Number == 0 ? disk : new BlockSlice(disk, p.Offset, p.Length, $"{disk.Description} partition {p.Number}");
                if (FileSystemProbe.Detect(slice) is not null)
                {
                    try
                    {
                        fs = FileSystemProbe.Open(slice);
                    }
                    catch (Exception e) when (e is InvalidDataException or NotSupportedException)
                    {
                        // Unreadable: its bytes are still content, walked as a raw region below.
                    }
                }

                var mountPoint = described?.MountPoint is { } mp && mp.StartsWith('/') ? mp : null;
                volumes.Add((p.Number, p.Offset, p.Length, described?.Type ?? "unknown", fs, mountPoint));
            }

            foreach (var region in Regions(disk, volumes.Select(v => (v.Number, v.Offset, v.Length, v.Type, v.Fs is not null)).ToList()))
            {
                yield return region;
            }

            var otherMounts = volumes.Where(v => v.Fs is not null && v.MountPoint is not null and not "/")
                .Select(v => v.MountPoint!).ToList();
            foreach (var v in volumes.Where(v => v.Fs is not null))
            {
                var fs = v.Fs!;
                foreach (var (entry, content) in HashedWalk.Run(fs, threads, e => Read(fs, e)))
                {
                    if (entry.Type != EntryType.File)
                    {
                        continue;
                    }

                    yield return new ContentItem
                    {
                        Kind = ContentItemKind.File,
                        Volume = v.Number,
                        Path = entry.Path,
                        GuestPath = GuestPath(v.MountPoint, entry.Path, otherMounts),
                        Size = content!.Size,
                        Sha256 = content.Sha256,
                        Chunks = content.Chunks,
                    };
                }
            }
        }
        finally
        {
            foreach (var v in volumes)
            {
                v.Fs?.Dispose();
            }
        }
    }

    private static FileContent Read(IFileSystem fs, FileSystemEntry entry)
    {
        using var stream = fs.OpenRead(entry);
        return FileContent.Read(stream, md5: false);
    }

    /// <summary>The path the booted guest would show, or null when the file is not visible there.</summary>
    internal static string? GuestPath(string? mountPoint, string path, IReadOnlyList<string> otherMounts)
    {
        if (mountPoint is null)
        {
            return null;
        }

        if (mountPoint == "/")
        {
            // Files of the root filesystem under another filesystem's mount point are hidden by it.
            return otherMounts.Any(m => path.StartsWith(m + "/", StringComparison.Ordinal)) ? null : path;
        }

        return mountPoint.TrimEnd('/') + path;
    }

    private static IEnumerable<ContentItem> Regions(IBlockSource disk, List<(int Number, long Offset, long Length, string Type, bool Read)> volumes)
    {
        var chunker = new RegionChunker(disk);
        (int?, string) Label(long offset)
        {
            var v = volumes.FirstOrDefault(v => v.Number != 0 && offset >= v.Offset && offset < v.Offset + v.Length);
            if (v.Number != 0)
            {
                return (v.Number, $"partition {v.Number} ({v.Type})");
            }

            if (volumes.Count == 1 && volumes[0].Number == 0)
            {
                return (0, $"whole disk ({volumes[0].Type})");
            }

            return (null, volumes.Any(p => p.Number != 0 && p.Offset <= offset) ? "between or after partitions" : "before the first partition");
        }

        long at = 0;
        foreach (var read in volumes.Where(v => v.Read).OrderBy(v => v.Offset))
        {
            if (read.Offset > at)
            {
                foreach (var r in chunker.Regions(at, Math.Min(read.Offset, disk.Length), Label))
                {
                    yield return r;
                }
            }

            at = Math.Max(at, read.Offset + read.Length);
        }

        if (at < disk.Length)
        {
            foreach (var r in chunker.Regions(at, disk.Length, Label))
            {
                yield return r;
            }
        }
    }
}
