using VmTeleport.Disks;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>
/// A disk opened the way inspection will open it: its table, and every partition with the
/// filesystem VM Teleport reads on it (null when none).
/// </summary>
internal sealed class OpenedDisk : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public OpenedDisk(string image) : this(DiskImage.Open(image))
    {
    }

    public OpenedDisk(IBlockSource disk)
    {
        Disk = disk;
        _owned.Add(disk);
        Table = PartitionTable.Read(disk);
        var volumes = new List<(Partition, IFileSystem?)>();
        foreach (var p in Table.Partitions)
        {
            var slice = new BlockSlice(disk, p.Offset, p.Length, $"{disk.Description} partition {p.Number}");
            IFileSystem? fs = FileSystemProbe.Detect(slice) is null ? null : FileSystemProbe.Open(slice);
            if (fs is not null)
            {
                _owned.Add(fs);
            }

            volumes.Add((p, fs));
        }

        Volumes = volumes;
    }

    public IBlockSource Disk { get; }

    public PartitionTable Table { get; }

    public IReadOnlyList<(Partition Partition, IFileSystem? FileSystem)> Volumes { get; }

    /// <summary>The root filesystem (the one holding /etc), standing in for the merged guest view.</summary>
    public IFileSystem? Root => Volumes.Select(v => v.FileSystem).FirstOrDefault(fs => fs is not null && Exists(fs, "/etc"));

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    private static bool Exists(IFileSystem fs, string path)
    {
        try
        {
            fs.GetEntry(path);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
