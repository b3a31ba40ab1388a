using System.Buffers.Binary;

namespace VmTeleport.Disks.Partitions;

/// <summary>The GPT header (UEFI spec 5.3.2): "EFI PART", CRC32 over header_size bytes with its own CRC field zeroed.</summary>
internal sealed record GptHeader(
    long MyLba,
    long AlternateLba,
    long FirstUsableLba,
    long LastUsableLba,
    Guid DiskGuid,
    long PartitionEntryLba,
    uint NumberOfEntries,
    uint EntrySize,
    uint EntriesCrc32)
{
    public const ulong Signature = 0x5452415020494645UL; // "EFI PART" little-endian

    /// <summary>Entry arrays larger than this are not made by any tool (the usual one is 16 KiB).</summary>
    public const long MaxEntriesBytes = 1L << 20;

    /// <summary>Parses and checks the header in <paramref name="sector"/>; returns null with <paramref name="problem"/> set when it is not valid.</summary>
    public static GptHeader? TryParse(ReadOnlySpan<byte> sector, long at, long diskSectors, out string problem)
    {
        if (BinaryPrimitives.ReadUInt64LittleEndian(sector) != Signature)
        {
            problem = $"no \"EFI PART\" signature at 0x{at:x}";
            return null;
        }

        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(sector[12..]);
        if (headerSize < 92 || headerSize > sector.Length)
        {
            problem = $"GPT header at 0x{at:x}: header size {headerSize} is out of range (92..512)";
            return null;
        }

        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(sector[16..]);
        Span<byte> copy = stackalloc byte[(int)headerSize];
        sector[..(int)headerSize].CopyTo(copy);
        copy.Slice(16, 4).Clear();
        uint actual = Crc32.Compute(copy);
        if (actual != storedCrc)
        {
            problem = $"GPT header at 0x{at:x}: CRC32 mismatch (stored 0x{storedCrc:x8}, computed 0x{actual:x8})";
            return null;
        }

        var h = new GptHeader(
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[24..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[32..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[40..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[48..]),
            new Guid(sector.Slice(56, 16)),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[72..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[80..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[84..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[88..]));

        long entriesBytes = (long)h.NumberOfEntries * h.EntrySize;
        if (h.EntrySize < 128 || h.EntrySize % 8 != 0 || entriesBytes > MaxEntriesBytes)
        {
            problem = $"GPT header at 0x{at:x}: {h.NumberOfEntries} entries of {h.EntrySize} bytes is out of range";
            return null;
        }

        long entrySectors = (entriesBytes + 511) / 512;
        if (h.PartitionEntryLba < 1 || h.PartitionEntryLba + entrySectors > diskSectors || h.FirstUsableLba > h.LastUsableLba + 1 || h.LastUsableLba >= diskSectors)
        {
            problem = $"GPT header at 0x{at:x}: entry array at LBA {h.PartitionEntryLba} or usable range {h.FirstUsableLba}..{h.LastUsableLba} lies outside the disk ({diskSectors} sectors)";
            return null;
        }

        problem = string.Empty;
        return h;
    }
}
