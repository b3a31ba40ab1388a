using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>ext4_extent_idx, an interior entry: the first logical block it covers and the child node's block.</summary>
internal readonly record struct ExtentIndex(uint LogicalBlock, ulong ChildBlock)
{
    public static ExtentIndex Parse(ReadOnlySpan<byte> raw) =>
        new(
            BinaryPrimitives.ReadUInt32LittleEndian(raw),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(raw[8..]) << 32));
}
