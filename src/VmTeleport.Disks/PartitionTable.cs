using VmTeleport.Disks.Partitions;

namespace VmTeleport.Disks;

/// <summary>The partition table of a disk: MBR (with extended/logical), GPT, or none.</summary>
public sealed class PartitionTable
{
    public required PartitionScheme Scheme { get; init; }

    /// <summary>GPT disk GUID, or null.</summary>
    public Guid? DiskGuid { get; init; }

    /// <summary>MBR disk signature (bytes 440–443), or null.</summary>
    public uint? MbrSignature { get; init; }

    public required IReadOnlyList<Partition> Partitions { get; init; }

    /// <summary>What was tolerated while reading, e.g. "primary GPT is corrupt (...); using the backup header at LBA N".</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// The block source of volume <paramref name="number"/> as manifests name volumes: 0 is the
    /// whole disk (a filesystem without a partition table), any other number that partition.
    /// A number the table does not have throws <see cref="InvalidDataException"/>.
    /// </summary>
    public IBlockSource Volume(IBlockSource disk, int number)
    {
        ArgumentNullException.ThrowIfNull(disk);
        if (number == 0)
        {
            return disk;
        }

        var p = Partitions.FirstOrDefault(p => p.Number == number)
            ?? throw new InvalidDataException($"{disk.Description}: no partition {number} in the partition table");
        return new BlockSlice(disk, p.Offset, p.Length, $"{disk.Description} partition {number}");
    }

    /// <summary>
    /// Reads the table of <paramref name="disk"/> (512-byte sectors). A disk without a recognisable
    /// table yields <see cref="PartitionScheme.None"/>; a corrupt one throws <see cref="InvalidDataException"/>.
    /// An MBR with a 0xEE record is a protective MBR: the GPT behind it is read instead.
    /// The MBR extended container is listed too (as sfdisk and the kernel number it).
    /// </summary>
    public static PartitionTable Read(IBlockSource disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var none = new PartitionTable { Scheme = PartitionScheme.None, Partitions = [] };
        if (disk.Length < 1024)
        {
            return none;
        }

        var sector0 = new byte[512];
        disk.ReadAt(0, sector0);
        var sector1 = new byte[512];
        disk.ReadAt(512, sector1);
        if (MasterBootRecord.HasBootSignature(sector0))
        {
            var records = MasterBootRecord.Records(sector0);
            if (!MasterBootRecord.LooksValid(records))
            {
                return none;
            }

            if (records.Any(r => r.Type == 0xEE))
            {
                return GuidPartitionTable.Read(disk);
            }

            return MasterBootRecord.Read(disk, sector0);
        }

        // A GPT without a protective MBR (damaged sector 0) is still a GPT.
        return GuidPartitionTable.HasSignature(sector1) ? GuidPartitionTable.Read(disk) : none;
    }
}
