using System.Buffers.Binary;

namespace VmTeleport.Disks.Partitions;

/// <summary>
/// One 16-byte partition record of an MBR or EBR (at 446 + 16 * i): status, CHS start, type,
/// CHS end, starting LBA, sector count. CHS fields are ignored, as Linux does.
/// </summary>
internal readonly record struct MbrPartitionRecord(byte Status, byte Type, uint StartLba, uint SectorCount)
{
    public const int Size = 16;

    public bool IsEmpty => Type == 0 || SectorCount == 0;

    /// <summary>DOS extended (0x05), Windows extended LBA (0x0f) and Linux extended (0x85) containers.</summary>
    public bool IsExtended => Type is 0x05 or 0x0f or 0x85;

    public static MbrPartitionRecord Parse(ReadOnlySpan<byte> record) => new(
        record[0],
        record[4],
        BinaryPrimitives.ReadUInt32LittleEndian(record[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(record[12..]));
}
