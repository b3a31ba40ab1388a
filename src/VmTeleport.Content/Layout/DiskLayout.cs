using VmTeleport.Content.Images;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.FileSystems.Ext;

namespace VmTeleport.Content.Layout;

/// <summary>
/// Everything a rebuild needs to know about the source disk except file bytes: its virtual size,
/// its ext volumes (format parameters and entries), and its content items: the raw regions
/// (partition table sectors, boot code, gaps, non-ext partitions) and every regular file, as
/// <see cref="ImageContent.Walk"/> yields them. File bytes come from an <see cref="IContentProvider"/>.
/// </summary>
public sealed record DiskLayout(long DiskSize, IReadOnlyList<ExtVolume> Volumes, IReadOnlyList<ContentItem> Items)
{
    /// <summary>Reads the layout of <paramref name="disk"/> (not disposed). Every file is read and chunked once.</summary>
    public static DiskLayout Read(IBlockSource disk, int threads)
    {
        ArgumentNullException.ThrowIfNull(disk);
        return Read(disk, ImageContent.Walk(disk, threads).ToList());
    }

    /// <summary>The layout of <paramref name="disk"/> whose content <paramref name="items"/> were already walked (the agent has them).</summary>
    public static DiskLayout Read(IBlockSource disk, IReadOnlyList<ContentItem> items)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(items);
        var volumes = new List<ExtVolume>();
        var fileVolumes = items.Where(i => i.Kind == ContentItemKind.File).Select(i => i.Volume ?? 0).ToHashSet();
        foreach (var number in fileVolumes.Union(ExtVolumeNumbers(disk)).Order())
        {
            var (offset, length) = VolumeExtent(disk, number);
            using var fs = FileSystemProbe.Open(VolumeSource(disk, number));
            if (fs is not Ext4FileSystem ext)
            {
                throw new NotSupportedException($"{disk.Description}: volume {number} is {fs.Type}; only ext2/3/4 can be rebuilt");
            }

            volumes.Add(new ExtVolume(number, offset, length, ExtParameters.Of(ext), ext.Walk().ToList()));
        }

        return new DiskLayout(disk.Length, volumes, items);
    }

    /// <summary>The block source of a volume: the whole disk for 0, else the partition.</summary>
    public static IBlockSource VolumeSource(IBlockSource disk, int volume) =>
        PartitionTable.Read(disk).Volume(disk, volume);

    public static (long Offset, long Length) VolumeExtent(IBlockSource disk, int volume)
    {
        if (volume == 0)
        {
            return (0, disk.Length);
        }

        var p = PartitionTable.Read(disk).Partitions.FirstOrDefault(p => p.Number == volume)
            ?? throw new InvalidDataException($"{disk.Description}: no partition {volume} in the partition table");
        return (p.Offset, p.Length);
    }

    /// <summary>Ext volumes that hold no regular file at all still need re-creating.</summary>
    public static IEnumerable<int> ExtVolumeNumbers(IBlockSource disk)
    {
        var table = PartitionTable.Read(disk);
        var numbers = table.Scheme == PartitionScheme.None ? [0] : table.Partitions.Select(p => p.Number).ToList();
        foreach (var n in numbers)
        {
            var source = VolumeSource(disk, n);
            if (FileSystemProbe.Detect(source) is not null)
            {
                bool readable;
                try
                {
                    FileSystemProbe.Open(source).Dispose();
                    readable = true;
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException)
                {
                    readable = false; // ImageContent walks it as a raw region
                }

                if (readable)
                {
                    yield return n;
                }
            }
        }
    }
}
