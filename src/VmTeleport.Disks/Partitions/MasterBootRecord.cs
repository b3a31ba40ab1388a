using System.Buffers.Binary;

namespace VmTeleport.Disks.Partitions;

/// <summary>
/// The MBR in sector 0: disk signature at 440, four partition records at 446, 0x55 0xAA at 510.
/// Extended partitions hold a chain of EBRs: record 0 is a logical partition relative to its EBR,
/// record 1 the next EBR relative to the start of the outermost extended partition.
/// </summary>
internal static class MasterBootRecord
{
    public const int SectorSize = 512;

    /// <summary>Linux's own cap on logical partitions is far below this; it bounds a hostile chain.</summary>
    public const int MaxLogical = 256;

    public static bool HasBootSignature(ReadOnlySpan<byte> sector0) => sector0[510] == 0x55 && sector0[511] == 0xAA;

    public static MbrPartitionRecord[] Records(ReadOnlySpan<byte> sector)
    {
        var records = new MbrPartitionRecord[4];
        for (int i = 0; i < 4; i++)
        {
            records[i] = MbrPartitionRecord.Parse(sector.Slice(446 + (i * MbrPartitionRecord.Size), MbrPartitionRecord.Size));
        }

        return records;
    }

    /// <summary>Status bytes are 0x00 or 0x80; anything else means sector 0 is not an MBR (a boot sector, a filesystem).</summary>
    public static bool LooksValid(MbrPartitionRecord[] records) => records.All(r => r.Status is 0x00 or 0x80);

    public static PartitionTable Read(IBlockSource disk, ReadOnlySpan<byte> sector0)
    {
        var records = Records(sector0);
        long diskSectors = disk.Length / SectorSize;
        var partitions = new List<Partition>();
        for (int i = 0; i < 4; i++)
        {
            var r = records[i];
            if (r.IsEmpty)
            {
                continue;
            }

            partitions.Add(ToPartition(disk, i + 1, r, r.StartLba, diskSectors, $"MBR partition record {i + 1} at 0x{446 + (16 * i):x}", logical: false));
        }

        var extended = records.Where(r => !r.IsEmpty && r.IsExtended).ToList();
        if (extended.Count > 1)
        {
            throw new InvalidDataException($"{disk.Description}: MBR at 0x0 has {extended.Count} extended partitions (at most one is allowed)");
        }

        if (extended.Count == 1)
        {
            ReadLogical(disk, extended[0], diskSectors, partitions);
        }

        return new PartitionTable
        {
            Scheme = PartitionScheme.Mbr,
            MbrSignature = BinaryPrimitives.ReadUInt32LittleEndian(sector0[440..]),
            Partitions = partitions,
        };
    }

    private static void ReadLogical(IBlockSource disk, MbrPartitionRecord extended, long diskSectors, List<Partition> partitions)
    {
        long extStart = extended.StartLba;
        long extEnd = extStart + extended.SectorCount;
        var seen = new HashSet<long>();
        var sector = new byte[SectorSize];
        long ebr = extStart;
        int number = 5;
        while (true)
        {
            long at = ebr * SectorSize;
            if (ebr < extStart || ebr >= extEnd || ebr >= diskSectors)
            {
                throw new InvalidDataException(
                    $"{disk.Description}: EBR at 0x{at:x} lies outside the extended partition (sectors {extStart}..{extEnd - 1}) or the disk");
            }

            if (!seen.Add(ebr))
            {
                throw new InvalidDataException($"{disk.Description}: EBR chain loops back to the EBR at 0x{at:x}");
            }

            if (seen.Count > MaxLogical)
            {
                throw new InvalidDataException($"{disk.Description}: EBR chain at 0x{at:x} has more than {MaxLogical} links");
            }

            disk.ReadAt(at, sector);
            if (!HasBootSignature(sector))
            {
                throw new InvalidDataException($"{disk.Description}: EBR at 0x{at:x} has no 0x55AA signature");
            }

            var records = Records(sector);
            if (!records[0].IsEmpty)
            {
                long start = ebr + records[0].StartLba;
                var p = ToPartition(disk, number, records[0], start, diskSectors, $"EBR at 0x{at:x} logical partition record", logical: true);
                if (start + records[0].SectorCount > extEnd)
                {
                    throw new InvalidDataException(
                        $"{disk.Description}: EBR at 0x{at:x}: logical partition {number} runs past the end of the extended partition");
                }

                partitions.Add(p);
                number++;
            }

            if (records[1].IsEmpty)
            {
                return;
            }

            ebr = extStart + records[1].StartLba;
        }
    }

    private static Partition ToPartition(IBlockSource disk, int number, MbrPartitionRecord r, long startLba, long diskSectors, string where, bool logical)
    {
        long end = startLba + r.SectorCount;
        if (startLba == 0 || end > diskSectors)
        {
            throw new InvalidDataException(
                $"{disk.Description}: {where}: partition {number} (sectors {startLba}..{end - 1}) lies outside the disk ({diskSectors} sectors)");
        }

        return new Partition(number, startLba * SectorSize, (long)r.SectorCount * SectorSize)
        {
            MbrType = r.Type,
            Bootable = r.Status == 0x80,
            IsLogical = logical,
        };
    }
}
