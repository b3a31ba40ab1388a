using System.Buffers.Binary;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Store;

/// <summary>
/// One 56-byte entry of the pack store's index file (docs/chunk-store.md, "Index file"),
/// little-endian: the 32-byte id, pack number, chunk length, record offset, flags (0 = stored,
/// 1 = removed: found damaged), CRC-32C of the 52 bytes before it. Later entries override earlier ones.
/// </summary>
internal readonly record struct PackIndexEntry(ChunkId Id, PackLocation Location, bool Removed)
{
    public const int Size = 56;

    public void WriteTo(Span<byte> destination)
    {
        Id.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[32..], (uint)Location.Pack);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[36..], (uint)Location.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[40..], Location.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[48..], Removed ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[52..], Crc32C.Compute(destination[..52]));
    }

    /// <summary>False when the CRC fails or a field is out of range: a torn or damaged entry.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out PackIndexEntry entry)
    {
        entry = default;
        if (source.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(source[52..]) != Crc32C.Compute(source[..52]))
        {
            return false;
        }

        var pack = BinaryPrimitives.ReadUInt32LittleEndian(source[32..]);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(source[36..]);
        var offset = BinaryPrimitives.ReadInt64LittleEndian(source[40..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(source[48..]);
        if (pack > PackChunkStore.MaxPackNumber || length > PackChunkStore.MaxChunkLength || offset < PackChunkStore.PackHeaderSize || flags > 1)
        {
            return false;
        }

        entry = new PackIndexEntry(new ChunkId(source[..ChunkId.Size]), new PackLocation(offset, (int)pack, (int)length), flags == 1);
        return true;
    }
}
