using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// An on-disk inode (ext4 disk layout, "Index Nodes"): the 128-byte base plus i_extra_isize
/// bytes of extra fields; the rest of s_inode_size holds in-inode extended attributes.
/// </summary>
internal sealed class Inode
{
    public const int GoodOldSize = 128;
    public const int BlockOffset = 0x28;
    public const int BlockLength = 60;
    public const int ChecksumLoOffset = 0x7C;
    public const int ChecksumHiOffset = 0x82;

    // i_flags (ext4 disk layout, "Inode flags").
    public const uint SecRmFlag = 0x1;
    public const uint ImmutableFlag = 0x10;
    public const uint IndexFlag = 0x1000;
    public const uint EncryptFlag = 0x800;
    public const uint HugeFileFlag = 0x40000;
    public const uint ExtentsFlag = 0x80000;
    public const uint EaInodeFlag = 0x200000;
    public const uint InlineDataFlag = 0x10000000;

    private Inode(uint number, byte[] raw) => (Number, Raw) = (number, raw);

    public uint Number { get; }

    /// <summary>The whole on-disk inode (s_inode_size bytes), for in-inode xattrs and i_block.</summary>
    public byte[] Raw { get; }

    public ushort Mode { get; private init; }
    public uint Uid { get; private init; }
    public uint Gid { get; private init; }
    public ulong Size { get; private init; }
    public ushort LinksCount { get; private init; }
    public ulong Blocks512 { get; private init; }
    public uint Flags { get; private init; }
    public uint Generation { get; private init; }
    public ulong FileAcl { get; private init; }
    public int ExtraIsize { get; private init; }
    public long AtimeNs { get; private init; }
    public long CtimeNs { get; private init; }
    public long MtimeNs { get; private init; }
    public long? CrtimeNs { get; private init; }

    public ReadOnlySpan<byte> IBlock => Raw.AsSpan(BlockOffset, BlockLength);

    public int FileType => Mode & 0xF000;

    public bool IsDirectory => FileType == 0x4000;

    public bool IsRegular => FileType == 0x8000;

    public bool IsSymlink => FileType == 0xA000;

    public bool HasFlag(uint flag) => (Flags & flag) != 0;

    /// <summary>The in-inode xattr area: after the extra fields up to the end of the inode.</summary>
    public ReadOnlySpan<byte> InlineXattrArea =>
        Raw.Length > GoodOldSize ? Raw.AsSpan(GoodOldSize + ExtraIsize) : [];

    public static Inode Parse(uint number, byte[] raw, SuperBlock sb, string where)
    {
        var extra = 0;
        if (raw.Length > GoodOldSize)
        {
            // ext4_iget rejects an i_extra_isize that runs past the inode or is not 4-aligned.
            extra = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(0x80));
            if (GoodOldSize + extra > raw.Length || (extra & 3) != 0)
            {
                throw new InvalidDataException(
                    $"{where}: inode {number} has i_extra_isize {extra} (inode size {raw.Length})");
            }
        }

        var span = raw.AsSpan();
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(span[0x20..]);
        ulong blocks = BinaryPrimitives.ReadUInt32LittleEndian(span[0x1C..]);
        if ((sb.FeatureRoCompat & ExtFeatures.HugeFile) != 0)
        {
            blocks |= (ulong)BinaryPrimitives.ReadUInt16LittleEndian(span[0x74..]) << 32;
            if ((flags & HugeFileFlag) != 0)
            {
                blocks *= (ulong)(sb.BlockSize / 512);
            }
        }

        ulong acl = BinaryPrimitives.ReadUInt32LittleEndian(span[0x68..]);
        if (sb.Has64Bit)
        {
            acl |= (ulong)BinaryPrimitives.ReadUInt16LittleEndian(span[0x76..]) << 32;
        }

        return new Inode(number, raw)
        {
            Mode = BinaryPrimitives.ReadUInt16LittleEndian(span),
            Uid = BinaryPrimitives.ReadUInt16LittleEndian(span[0x2..]) | ((uint)BinaryPrimitives.ReadUInt16LittleEndian(span[0x78..]) << 16),
            Gid = BinaryPrimitives.ReadUInt16LittleEndian(span[0x18..]) | ((uint)BinaryPrimitives.ReadUInt16LittleEndian(span[0x7A..]) << 16),
            Size = BinaryPrimitives.ReadUInt32LittleEndian(span[0x4..]) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(span[0x6C..]) << 32),
            LinksCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x1A..]),
            Blocks512 = blocks,
            Flags = flags,
            Generation = BinaryPrimitives.ReadUInt32LittleEndian(span[0x64..]),
            FileAcl = acl,
            ExtraIsize = extra,
            AtimeNs = Time(span, 0x08, 0x8C, extra),
            CtimeNs = Time(span, 0x0C, 0x84, extra),
            MtimeNs = Time(span, 0x10, 0x88, extra),
            CrtimeNs = Fits(0x90 + 4, extra) ? Time(span, 0x90, 0x94, extra) : null,
        };
    }

    /// <summary>
    /// ext4_inode_csum: crc32c over the inode with its checksum fields as zeros, seeded with the
    /// per-inode seed (fs seed, inode number, generation). Only 16 bits when i_checksum_hi is absent.
    /// </summary>
    public static (uint Stored, uint Computed) Checksums(ReadOnlySpan<byte> raw, uint inodeSeed)
    {
        var extra = raw.Length > GoodOldSize ? BinaryPrimitives.ReadUInt16LittleEndian(raw[0x80..]) : 0;
        var hasHi = raw.Length > GoodOldSize && Fits(ChecksumHiOffset + 2, extra);
        var crc = Crc32C.Update(inodeSeed, raw[..ChecksumLoOffset]);
        crc = Crc32C.UpdateZeros(crc, 2);
        uint stored = BinaryPrimitives.ReadUInt16LittleEndian(raw[ChecksumLoOffset..]);
        if (raw.Length > GoodOldSize)
        {
            crc = Crc32C.Update(crc, raw[(ChecksumLoOffset + 2)..ChecksumHiOffset]);
            if (hasHi)
            {
                crc = Crc32C.UpdateZeros(crc, 2);
                stored |= (uint)BinaryPrimitives.ReadUInt16LittleEndian(raw[ChecksumHiOffset..]) << 16;
                crc = Crc32C.Update(crc, raw[(ChecksumHiOffset + 2)..]);
            }
            else
            {
                crc = Crc32C.Update(crc, raw[ChecksumHiOffset..]);
            }
        }
        else
        {
            crc = Crc32C.Update(crc, raw[(ChecksumLoOffset + 2)..]);
        }

        return (stored, hasHi ? crc : crc & 0xFFFF);
    }

    // EXT4_FITS_IN_INODE: a field exists when it ends within 128 + i_extra_isize bytes.
    private static bool Fits(int fieldEnd, int extra) => fieldEnd <= GoodOldSize + extra;

    /// <summary>
    /// ext4_decode_extra_time: the base is signed 32-bit seconds; the extra field's low two bits
    /// add epochs of 2^32 s and its upper 30 bits are nanoseconds.
    /// </summary>
    private static long Time(ReadOnlySpan<byte> raw, int baseOffset, int extraOffset, int extra)
    {
        long sec = BinaryPrimitives.ReadInt32LittleEndian(raw[baseOffset..]);
        long nsec = 0;
        if (raw.Length > GoodOldSize && Fits(extraOffset + 4, extra))
        {
            var x = BinaryPrimitives.ReadUInt32LittleEndian(raw[extraOffset..]);
            sec += (long)(x & 3) << 32;
            nsec = x >> 2;
        }

        return (sec * 1_000_000_000) + nsec;
    }
}
