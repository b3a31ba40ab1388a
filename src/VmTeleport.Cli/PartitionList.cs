using VmTeleport.Disks;
using VmTeleport.FileSystems;

namespace VmTeleport.Cli;

/// <summary>How partitions are named and summarised for users.</summary>
public static class PartitionList
{
    public static BlockSlice Slice(IBlockSource disk, Partition p) =>
        new(disk, p.Offset, p.Length, $"{disk.Description} partition {p.Number}");

    /// <summary>"1 (ext4, 1.0 GiB at 1.0 MiB), 2 (unknown, 512.0 MiB at 1.0 GiB)".</summary>
    public static string Describe(IBlockSource disk, PartitionTable table) =>
        string.Join(", ", table.Partitions.Select(p =>
            $"{p.Number} ({FileSystemName(disk, p)}, {Size.Format(p.Length)} at {Size.Format(p.Offset)})"));

    public static string FileSystemName(IBlockSource disk, Partition p) => FileSystemName(Slice(disk, p));

    /// <summary>"ext4", "unknown" (nothing we read), or "unreadable" (looks like one but is corrupt).</summary>
    public static string FileSystemName(IBlockSource source)
    {
        try
        {
            return FileSystemProbe.Detect(source) ?? "unknown";
        }
        catch (InvalidDataException)
        {
            return "unreadable";
        }
    }
}
