using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// ext4_xattr_header, the 32 bytes at the start of an external xattr block (ext4 disk layout,
/// "Extended Attributes"); entries follow it and values are addressed from the block's start.
/// </summary>
internal readonly record struct XattrHeader(uint Magic, uint RefCount, uint Blocks, uint Checksum)
{
    public const uint ExpectedMagic = 0xEA020000;
    public const int Size = 32;
    public const int ChecksumOffset = 0x10;

    public static XattrHeader Parse(ReadOnlySpan<byte> raw) =>
        new(
            BinaryPrimitives.ReadUInt32LittleEndian(raw),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[ChecksumOffset..]));

    /// <summary>ext4_xattr_block_csum: crc32c(fs seed, le64 block number, block with h_checksum as zeros).</summary>
    public static uint ComputeChecksum(uint csumSeed, ulong blockNumber, ReadOnlySpan<byte> block)
    {
        var crc = Crc32C.UpdateUInt64(csumSeed, blockNumber);
        crc = Crc32C.Update(crc, block[..ChecksumOffset]);
        crc = Crc32C.UpdateZeros(crc, 4);
        return Crc32C.Update(crc, block[(ChecksumOffset + 4)..]);
    }
}
