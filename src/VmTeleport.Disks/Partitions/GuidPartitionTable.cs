namespace VmTeleport.Disks.Partitions;

/// <summary>
/// Reads a GPT with 512-byte sectors: the primary header at LBA 1, or, when it or its entry array
/// is corrupt, the backup header at the disk's last LBA (noted in <see cref="PartitionTable.Notes"/>).
/// </summary>
internal static class GuidPartitionTable
{
    private const int SectorSize = 512;

    public static bool HasSignature(ReadOnlySpan<byte> sector1) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(sector1) == GptHeader.Signature;

    public static PartitionTable Read(IBlockSource disk)
    {
        long diskSectors = disk.Length / SectorSize;
        if (diskSectors < 3)
        {
            throw new InvalidDataException($"{disk.Description}: disk is too small for a GPT ({disk.Length} bytes)");
        }

        var notes = new List<string>();
        var primary = TryRead(disk, 1, diskSectors, out string primaryProblem);
        if (primary is not null)
        {
            return Build(disk, primary.Value, notes);
        }

        long lastLba = diskSectors - 1;
        var backup = TryRead(disk, lastLba, diskSectors, out string backupProblem);
        if (backup is null)
        {
            throw new InvalidDataException($"{disk.Description}: corrupt GPT: {primaryProblem}; backup: {backupProblem}");
        }

        notes.Add($"primary GPT is corrupt ({primaryProblem}); using the backup header at LBA {lastLba}");
        return Build(disk, backup.Value, notes);
    }

    private static PartitionTable Build(IBlockSource disk, (GptHeader Header, List<Partition> Partitions) gpt, List<string> notes) => new()
    {
        Scheme = PartitionScheme.Gpt,
        DiskGuid = gpt.Header.DiskGuid,
        Partitions = gpt.Partitions,
        Notes = notes,
    };

    private static (GptHeader, List<Partition>)? TryRead(IBlockSource disk, long lba, long diskSectors, out string problem)
    {
        var sector = new byte[SectorSize];
        long at = lba * SectorSize;
        disk.ReadAt(at, sector);
        var header = GptHeader.TryParse(sector, at, diskSectors, out problem);
        if (header is null)
        {
            return null;
        }

        if (header.MyLba != lba)
        {
            problem = $"GPT header at 0x{at:x} says it lives at LBA {header.MyLba}";
            return null;
        }

        // Sizes were capped by GptHeader.TryParse (at most 1 MiB).
        var entries = new byte[(long)header.NumberOfEntries * header.EntrySize];
        long entriesAt = header.PartitionEntryLba * SectorSize;
        disk.ReadAt(entriesAt, entries);
        uint crc = Crc32.Compute(entries);
        if (crc != header.EntriesCrc32)
        {
            problem = $"GPT entry array at 0x{entriesAt:x}: CRC32 mismatch (stored 0x{header.EntriesCrc32:x8}, computed 0x{crc:x8})";
            return null;
        }

        var partitions = new List<Partition>();
        for (int i = 0; i < header.NumberOfEntries; i++)
        {
            var e = GptPartitionEntry.Parse(entries.AsSpan(i * (int)header.EntrySize, 128));
            if (e.IsUnused)
            {
                continue;
            }

            long entryAt = entriesAt + (i * header.EntrySize);
            if (e.FirstLba < 1 || e.LastLba < e.FirstLba || e.LastLba >= diskSectors)
            {
                throw new InvalidDataException(
                    $"{disk.Description}: GPT entry {i + 1} at 0x{entryAt:x}: sectors {e.FirstLba}..{e.LastLba} lie outside the disk ({diskSectors} sectors)");
            }

            partitions.Add(new Partition(i + 1, e.FirstLba * SectorSize, (e.LastLba - e.FirstLba + 1) * SectorSize)
            {
                TypeGuid = e.TypeGuid,
                PartitionGuid = e.PartitionGuid,
                Name = e.Name,
                Attributes = e.Attributes,
            });
        }

        problem = string.Empty;
        return (header, partitions);
    }
}
