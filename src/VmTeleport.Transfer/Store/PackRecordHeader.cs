using System.Buffers.Binary;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Store;

/// <summary>
/// The 48 bytes before every chunk in a pack file (docs/chunk-store.md, "Pack file"), little-endian:
/// magic "VCHK", chunk length, flags (0), the 32-byte id, CRC-32C of the 44 bytes before it. A
/// record is self-describing so the packs alone can rebuild the index, and a torn header fails the CRC.
/// </summary>
internal readonly record struct PackRecordHeader(ChunkId Id, int Length)
{
    public const int Size = 48;

    /// <summary>"VCHK" as it appears in the file.</summary>
    public const uint Magic = 0x4B484356;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], 0);
        Id.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[44..], Crc32C.Compute(destination[..44]));
    }

    /// <summary>False for anything but a whole, undamaged header: a torn write, zeros, garbage.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out PackRecordHeader header)
    {
        header = default;
        if (source.Length < Size
            || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(source[8..]) != 0
            || BinaryPrimitives.ReadUInt32LittleEndian(source[44..]) != Crc32C.Compute(source[..44]))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        if (length > PackChunkStore.MaxChunkLength)
        {
            return false;
        }

        header = new PackRecordHeader(new ChunkId(source.Slice(12, ChunkId.Size)), (int)length);
        return true;
    }
}
