using System.Buffers.Binary;
using System.Text;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// The ext2/3/4 superblock: 1024 bytes at byte 1024 of the filesystem (ext4 disk layout,
/// "The Super Block"). Only the fields a reader needs, validated so that later arithmetic on
/// them cannot overflow or divide by zero.
/// </summary>
internal sealed class SuperBlock
{
    public const int Offset = 1024;
    public const int Size = 1024;
    public const ushort Magic = 0xEF53;

    public uint InodesCount { get; private init; }
    public ulong BlocksCount { get; private init; }
    public uint FirstDataBlock { get; private init; }
    public int LogBlockSize { get; private init; }
    public uint BlocksPerGroup { get; private init; }
    public uint InodesPerGroup { get; private init; }
    public uint RevLevel { get; private init; }
    public uint FirstIno { get; private init; }
    public int InodeSize { get; private init; }
    public uint FeatureCompat { get; private init; }
    public uint FeatureIncompat { get; private init; }
    public uint FeatureRoCompat { get; private init; }
    public byte[] Uuid { get; private init; } = [];
    public string VolumeName { get; private init; } = "";
    public uint[] HashSeed { get; private init; } = [];
    public byte DefHashVersion { get; private init; }
    public int DescSize { get; private init; }
    public uint FirstMetaBg { get; private init; }
    public ushort MinExtraIsize { get; private init; }
    public ushort WantExtraIsize { get; private init; }
    public uint Flags { get; private init; }
    public int LogGroupsPerFlex { get; private init; }
    public byte ChecksumType { get; private init; }
    public uint ChecksumSeed { get; private init; }
    public ushort FilenameEncoding { get; private init; }
    public uint Checksum { get; private init; }
    public uint JournalInode { get; private init; }
    public ushort ReservedGdtBlocks { get; private init; }
    public ulong ReservedBlocksCount { get; private init; }
    public ulong FreeBlocksCount { get; private init; }
    public uint FreeInodesCount { get; private init; }
    public uint CreatorOs { get; private init; }
    public uint[] BackupBgs { get; private init; } = [];

    public int BlockSize => 1024 << LogBlockSize;

    public bool Has64Bit => (FeatureIncompat & ExtFeatures.Bit64) != 0;

    public bool HasMetadataCsum => (FeatureRoCompat & ExtFeatures.MetadataCsum) != 0;

    /// <summary>True when the bytes at <see cref="Offset"/> carry the ext magic (a probe, no validation).</summary>
    public static bool HasMagic(ReadOnlySpan<byte> raw) =>
        raw.Length >= 0x3A && BinaryPrimitives.ReadUInt16LittleEndian(raw[0x38..]) == Magic;

    /// <summary>Parses and validates; <paramref name="where"/> names the source in messages.</summary>
    public static SuperBlock Parse(ReadOnlySpan<byte> raw, string where)
    {
        if (!HasMagic(raw))
        {
            throw new InvalidDataException(
                $"{where}: superblock at 0x400 has magic 0x{BinaryPrimitives.ReadUInt16LittleEndian(raw[0x38..]):x4}, expected 0xef53");
        }

        var rev = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x4C..]);
        var logBlock = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x18..]);
        if (logBlock > 6)
        {
            throw new InvalidDataException($"{where}: superblock s_log_block_size {logBlock} (block size above 64 KiB)");
        }

        var incompat = rev >= 1 ? BinaryPrimitives.ReadUInt32LittleEndian(raw[0x60..]) : 0;
        var blocksLo = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x4..]);
        var blocksHi = (incompat & ExtFeatures.Bit64) != 0 ? BinaryPrimitives.ReadUInt32LittleEndian(raw[0x150..]) : 0;
        var inodeSize = rev >= 1 ? BinaryPrimitives.ReadUInt16LittleEndian(raw[0x58..]) : 128;
        var blockSize = 1024 << (int)logBlock;
        if (inodeSize < 128 || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) != 0)
        {
            throw new InvalidDataException($"{where}: superblock s_inode_size {inodeSize} is not a power of two in [128, {blockSize}]");
        }

        var descSize = 32;
        if ((incompat & ExtFeatures.Bit64) != 0)
        {
            descSize = BinaryPrimitives.ReadUInt16LittleEndian(raw[0xFE..]);
            if (descSize < 64 || descSize > 1024 || (descSize & (descSize - 1)) != 0)
            {
                throw new InvalidDataException($"{where}: superblock s_desc_size {descSize} is not a power of two in [64, 1024]");
            }
        }

        var sb = new SuperBlock
        {
            InodesCount = BinaryPrimitives.ReadUInt32LittleEndian(raw),
            BlocksCount = ((ulong)blocksHi << 32) | blocksLo,
            FirstDataBlock = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x14..]),
            LogBlockSize = (int)logBlock,
            BlocksPerGroup = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x20..]),
            InodesPerGroup = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x28..]),
            RevLevel = rev,
            FirstIno = rev >= 1 ? BinaryPrimitives.ReadUInt32LittleEndian(raw[0x54..]) : 11,
            InodeSize = inodeSize,
            FeatureCompat = rev >= 1 ? BinaryPrimitives.ReadUInt32LittleEndian(raw[0x5C..]) : 0,
            FeatureIncompat = incompat,
            FeatureRoCompat = rev >= 1 ? BinaryPrimitives.ReadUInt32LittleEndian(raw[0x64..]) : 0,
            Uuid = raw.Slice(0x68, 16).ToArray(),
            VolumeName = DecodeLabel(raw.Slice(0x78, 16)),
            HashSeed =
            [
                BinaryPrimitives.ReadUInt32LittleEndian(raw[0xEC..]), BinaryPrimitives.ReadUInt32LittleEndian(raw[0xF0..]),
                BinaryPrimitives.ReadUInt32LittleEndian(raw[0xF4..]), BinaryPrimitives.ReadUInt32LittleEndian(raw[0xF8..]),
            ],
            DefHashVersion = raw[0xFC],
            JournalInode = BinaryPrimitives.ReadUInt32LittleEndian(raw[0xE0..]),
            ReservedGdtBlocks = BinaryPrimitives.ReadUInt16LittleEndian(raw[0xCE..]),
            ReservedBlocksCount = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x8..]) | ((incompat & ExtFeatures.Bit64) != 0 ? (ulong)BinaryPrimitives.ReadUInt32LittleEndian(raw[0x154..]) << 32 : 0),
            FreeBlocksCount = BinaryPrimitives.ReadUInt32LittleEndian(raw[0xC..]) | ((incompat & ExtFeatures.Bit64) != 0 ? (ulong)BinaryPrimitives.ReadUInt32LittleEndian(raw[0x158..]) << 32 : 0),
            FreeInodesCount = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x10..]),
            CreatorOs = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x48..]),
            DescSize = descSize,
            FirstMetaBg = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x104..]),
            MinExtraIsize = BinaryPrimitives.ReadUInt16LittleEndian(raw[0x15C..]),
            WantExtraIsize = BinaryPrimitives.ReadUInt16LittleEndian(raw[0x15E..]),
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x160..]),
            LogGroupsPerFlex = raw[0x174],
            ChecksumType = raw[0x175],
            BackupBgs = [BinaryPrimitives.ReadUInt32LittleEndian(raw[0x24C..]), BinaryPrimitives.ReadUInt32LittleEndian(raw[0x250..])],
            ChecksumSeed = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x270..]),
            FilenameEncoding = BinaryPrimitives.ReadUInt16LittleEndian(raw[0x27C..]),
            Checksum = BinaryPrimitives.ReadUInt32LittleEndian(raw[0x3FC..]),
        };

        if (sb.BlocksPerGroup == 0 || sb.BlocksPerGroup > 8u * (uint)blockSize)
        {
            throw new InvalidDataException($"{where}: superblock s_blocks_per_group {sb.BlocksPerGroup} (0 or more than 8 × block size)");
        }

        if (sb.InodesPerGroup == 0 || sb.InodesPerGroup > 8u * (uint)blockSize)
        {
            throw new InvalidDataException($"{where}: superblock s_inodes_per_group {sb.InodesPerGroup} (0 or more than 8 × block size)");
        }

        if (sb.FirstDataBlock >= sb.BlocksCount)
        {
            throw new InvalidDataException($"{where}: superblock s_first_data_block {sb.FirstDataBlock} is not below s_blocks_count {sb.BlocksCount}");
        }

        if ((ulong)sb.InodesCount > (ulong)sb.GroupCount * sb.InodesPerGroup)
        {
            throw new InvalidDataException(
                $"{where}: superblock s_inodes_count {sb.InodesCount} exceeds {sb.GroupCount} groups × {sb.InodesPerGroup} inodes");
        }

        return sb;
    }

    public uint GroupCount => (uint)((BlocksCount - FirstDataBlock + BlocksPerGroup - 1) / BlocksPerGroup);

    /// <summary>crc32c of the first 0x3FC bytes, seeded with ~0 (ext4_superblock_csum).</summary>
    public static uint ComputeChecksum(ReadOnlySpan<byte> raw) => Crc32C.Update(0xFFFFFFFF, raw[..0x3FC]);

    /// <summary>Whether group <paramref name="group"/> holds a superblock backup (sparse_super, sparse_super2).</summary>
    public bool GroupHasSuper(uint group)
    {
        if (group == 0)
        {
            return true;
        }

        if ((FeatureCompat & 0x100) != 0)
        {
            return group == BackupBgs[0] || group == BackupBgs[1];
        }

        if ((FeatureRoCompat & ExtFeatures.SparseSuper) == 0 || group == 1)
        {
            return true;
        }

        return IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7);
    }

    private static bool IsPowerOf(uint n, uint b)
    {
        ulong p = b;
        while (p < n)
        {
            p *= b;
        }

        return p == n;
    }

    private static string DecodeLabel(ReadOnlySpan<byte> raw)
    {
        var end = raw.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? raw : raw[..end]);
    }
}
