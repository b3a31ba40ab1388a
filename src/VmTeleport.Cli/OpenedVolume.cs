using VmTeleport.Disks;
using VmTeleport.FileSystems;

namespace VmTeleport.Cli;

/// <summary>
/// A disk image opened read-only with one of its filesystems: the whole disk when it has no
/// partition table, the only readable partition, or the one chosen with --partition.
/// </summary>
public sealed class OpenedVolume : IDisposable
{
    private readonly IBlockSource _disk;

    private OpenedVolume(IBlockSource disk, IFileSystem fileSystem, Partition? partition)
    {
        _disk = disk;
        FileSystem = fileSystem;
        Partition = partition;
    }

    public IFileSystem FileSystem { get; }

    /// <summary>The partition holding the filesystem, or null for a whole-disk filesystem.</summary>
    public Partition? Partition { get; }

    public static OpenedVolume Open(string imageSpec, int? partitionNumber)
    {
        var disk = DiskImage.Open(imageSpec);
        try
        {
            var (source, partition) = Choose(disk, partitionNumber);
            if (FileSystemProbe.Detect(source) is null)
            {
                string type = partition?.TypeGuid?.ToString() ?? (partition?.MbrType is byte b ? $"0x{b:x2}" : "none");
                throw new NotSupportedException(
                    $"{source.Description} (partition type {type}) holds no filesystem VM Teleport reads (ext2/3/4)");
            }

            var fs = FileSystemProbe.Open(source);
            foreach (var warning in fs.Warnings)
            {
                Console.Error.WriteLine($"vmteleport: warning: {source.Description}: {warning}");
            }

            return new OpenedVolume(disk, fs, partition);
        }
        catch
        {
            disk.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        FileSystem.Dispose();
        _disk.Dispose();
    }

    private static (IBlockSource Source, Partition? Partition) Choose(IBlockSource disk, int? number)
    {
        var table = PartitionTable.Read(disk);
        if (table.Scheme == PartitionScheme.None)
        {
            if (number is int n && n != 0)
            {
                throw new KeyNotFoundException($"{disk.Description} has no partition table, so no partition {n}");
            }

            return (disk, null);
        }

        if (number is int wanted)
        {
            var p = table.Partitions.FirstOrDefault(x => x.Number == wanted)
                ?? throw new KeyNotFoundException(
                    $"{disk.Description} has no partition {wanted}; it has: {PartitionList.Describe(disk, table)}");
            return (PartitionList.Slice(disk, p), p);
        }

        var readable = table.Partitions
            .Where(p => FileSystemProbe.Detect(PartitionList.Slice(disk, p)) is not null)
            .ToList();
        return readable.Count switch
        {
            1 => (PartitionList.Slice(disk, readable[0]), readable[0]),
            0 => throw new NotSupportedException(
                $"{disk.Description}: no partition holds a filesystem VM Teleport can read; partitions: {PartitionList.Describe(disk, table)}"),
            _ => throw new UsageException(
                $"{disk.Description} holds several filesystems; choose one with --partition N: {PartitionList.Describe(disk, table)}"),
        };
    }
}
