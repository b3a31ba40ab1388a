using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// One block group descriptor, 32 bytes or (64bit) s_desc_size bytes (ext4 disk layout, "Block
/// Group Descriptors"). The reader only needs where the group's inode table starts.
/// </summary>
internal readonly record struct GroupDescriptor(ulong InodeTable, ushort Flags, ushort Checksum)
{
    public const int ChecksumOffset = 0x1E;

    public static GroupDescriptor Parse(ReadOnlySpan<byte> raw, int descSize)
    {
        ulong table = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x8..]);
        if (descSize >= 64)
        {
            table |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(raw[0x28..]) << 32;
        }

        return new GroupDescriptor(
            table,
            BinaryPrimitives.ReadUInt16LittleEndian(raw[0x12..]),
            BinaryPrimitives.ReadUInt16LittleEndian(raw[ChecksumOffset..]));
    }

    /// <summary>
    /// metadata_csum form of bg_checksum: low 16 bits of crc32c(seed, group number, descriptor
    /// with the checksum field as zeros) (ext4_group_desc_csum).
    /// </summary>
    public static ushort ComputeChecksum(uint csumSeed, uint group, ReadOnlySpan<byte> raw)
    {
        var crc = Crc32C.UpdateUInt32(csumSeed, group);
        crc = Crc32C.Update(crc, raw[..ChecksumOffset]);
        crc = Crc32C.UpdateZeros(crc, 2);
        crc = Crc32C.Update(crc, raw[(ChecksumOffset + 2)..]);
        return (ushort)crc;
    }
}
