using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// ext4_extent, a leaf entry: logical block, length and physical start. A length above 32768
/// marks an uninitialized (preallocated) extent of length − 32768 that reads as zeros.
/// </summary>
internal readonly record struct ExtentEntry(uint LogicalBlock, int Length, ulong PhysicalBlock, bool Uninitialized)
{
    private const int InitMaxLength = 32768;

    public static ExtentEntry Parse(ReadOnlySpan<byte> raw)
    {
        var len = BinaryPrimitives.ReadUInt16LittleEndian(raw[4..]);
        var start = ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(raw[6..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(raw[8..]);
        var uninit = len > InitMaxLength;
        return new ExtentEntry(BinaryPrimitives.ReadUInt32LittleEndian(raw), uninit ? len - InitMaxLength : len, start, uninit);
    }
}
