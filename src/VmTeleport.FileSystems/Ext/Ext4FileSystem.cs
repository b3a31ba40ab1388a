using System.Buffers.Binary;
using VmTeleport.Disks;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// A read-only ext2/ext3/ext4 filesystem on a block source (kernel
/// Documentation/filesystems/ext4, "Data Structures and Algorithms"). This file: opening,
/// superblock facts and inode lookup; directories, xattrs and content are in the partial files
/// beside it. It does not own the source.
/// </summary>
public sealed partial class Ext4FileSystem : IFileSystem
{
    public const uint RootInode = 2;
    private readonly ExtVolume _vol;
    private readonly ulong[] _inodeTables;

    private Ext4FileSystem(ExtVolume vol, ulong[] inodeTables)
    {
        _vol = vol;
        _inodeTables = inodeTables;
        Root = ToEntry(ReadInode(RootInode), "/");
        if (Root.Type != EntryType.Directory)
        {
            throw new InvalidDataException($"{vol.Name}: root inode 2 is not a directory (mode 0{Convert.ToString(ReadInode(RootInode).Mode, 8)})");
        }
    }

    public string Type { get; private init; } = "ext4";

    public Guid Uuid => new(_vol.Sb.Uuid, bigEndian: true);

    public string Label => _vol.Sb.VolumeName;

    public IReadOnlyList<string> Warnings => _vol.Warnings;

    public FileSystemEntry Root { get; }

    /// <summary>Block size in bytes (1 KiB to 64 KiB).</summary>
    public int BlockSize => _vol.BlockSize;

    /// <summary>On-disk inode size in bytes (s_inode_size).</summary>
    public int InodeSize => _vol.Sb.InodeSize;

    public uint InodeCount => _vol.Sb.InodesCount;

    public ulong BlockCount => _vol.Sb.BlocksCount;

    public ulong ReservedBlockCount => _vol.Sb.ReservedBlocksCount;

    /// <summary>
    /// Free blocks as the superblock records them (s_free_blocks_count): exact after a clean
    /// unmount or e2fsck, which is how a powered-off guest's disk is normally left.
    /// </summary>
    public ulong FreeBlockCount => _vol.Sb.FreeBlocksCount;

    /// <summary>Free inodes as the superblock records them (s_free_inodes_count).</summary>
    public uint FreeInodeCount => _vol.Sb.FreeInodesCount;

    public uint BlocksPerGroup => _vol.Sb.BlocksPerGroup;

    public uint InodesPerGroup => _vol.Sb.InodesPerGroup;

    public uint GroupCount => _vol.Sb.GroupCount;

    public uint FirstDataBlock => _vol.Sb.FirstDataBlock;

    /// <summary>First non-reserved inode (s_first_ino).</summary>
    public uint FirstInode => _vol.Sb.FirstIno;

    /// <summary>s_reserved_gdt_blocks (room for online resize).</summary>
    public int ReservedGdtBlocks => _vol.Sb.ReservedGdtBlocks;

    /// <summary>Group descriptor size: 32, or s_desc_size with 64bit.</summary>
    public int DescriptorSize => _vol.Sb.DescSize;

    /// <summary>Flex group size as a power of two (s_log_groups_per_flex).</summary>
    public int LogGroupsPerFlex => _vol.Sb.LogGroupsPerFlex;

    /// <summary>s_min_extra_isize and s_want_extra_isize.</summary>
    public (int Min, int Want) ExtraInodeSize => (_vol.Sb.MinExtraIsize, _vol.Sb.WantExtraIsize);

    /// <summary>The directory hash seed (s_hash_seed) as mke2fs -E hash_seed= takes it.</summary>
    public Guid HashSeed
    {
        get
        {
            Span<byte> b = stackalloc byte[16];
            for (var i = 0; i < 4; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b[(4 * i)..], _vol.Sb.HashSeed[i]);
            }

            return new Guid(b, bigEndian: true);
        }
    }

    /// <summary>s_def_hash_version: 0 legacy, 1 half_md4, 2 tea (3–5 their unsigned variants).</summary>
    public int DefaultHashVersion => _vol.Sb.DefHashVersion;

    /// <summary>s_encoding (1 = utf8-12.1) for casefold filesystems, else 0.</summary>
    public int FilenameEncoding => _vol.Sb.FilenameEncoding;

    /// <summary>s_checksum_seed when metadata_csum_seed is set, else the crc32c of the UUID.</summary>
    public uint ChecksumSeed => _vol.CsumSeed;

    /// <summary>s_creator_os: 0 Linux, 1 Hurd, 3 FreeBSD.</summary>
    public uint CreatorOs => _vol.Sb.CreatorOs;

    /// <summary>Journal inode (s_journal_inum), 0 without an internal journal.</summary>
    public uint JournalInode => (_vol.Sb.FeatureCompat & ExtFeatures.HasJournal) != 0 ? _vol.Sb.JournalInode : 0;

    /// <summary>Size in bytes of the internal journal, 0 without one.</summary>
    public long JournalSize => JournalInode == 0 ? 0 : (long)ReadInode(JournalInode).Size;

    public IReadOnlyList<string> CompatFeatures => ExtFeatures.Names(_vol.Sb.FeatureCompat, ExtFeatures.CompatNames, 'C');

    public IReadOnlyList<string> IncompatFeatures => ExtFeatures.Names(_vol.Sb.FeatureIncompat, ExtFeatures.IncompatNames, 'I');

    public IReadOnlyList<string> RoCompatFeatures => ExtFeatures.Names(_vol.Sb.FeatureRoCompat, ExtFeatures.RoCompatNames, 'R');

    /// <summary>Every feature by the name dumpe2fs prints, in its order (compat, incompat, ro_compat).</summary>
    public IReadOnlyList<string> Features => [.. CompatFeatures, .. IncompatFeatures, .. RoCompatFeatures];

    public static Ext4FileSystem Open(IBlockSource source, Ext4OpenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= Ext4OpenOptions.Default;
        var sb = ReadSuperBlock(source);
        var name = source.Description;
        if ((sb.FeatureIncompat & ExtFeatures.JournalDev) != 0)
        {
            throw new NotSupportedException($"{name}: this is an external ext journal device, not a filesystem");
        }

        var unknown = sb.FeatureIncompat & ~ExtFeatures.SupportedIncompat;
        if (unknown != 0)
        {
            throw new NotSupportedException(
                $"{name}: ext filesystem uses incompatible features this reader does not support: {string.Join(", ", ExtFeatures.Names(unknown, ExtFeatures.IncompatNames, 'I'))}");
        }

        var bytes = (decimal)sb.BlocksCount * sb.BlockSize;
        if (bytes > source.Length)
        {
            throw new InvalidDataException(
                $"{name}: superblock says {sb.BlocksCount} blocks of {sb.BlockSize} bytes ({bytes} bytes) but the source holds {source.Length} bytes");
        }

        var vol = new ExtVolume(source, sb, options);
        if (sb.HasMetadataCsum)
        {
            if (sb.ChecksumType != 1)
            {
                throw new NotSupportedException($"{name}: superblock s_checksum_type {sb.ChecksumType} (only 1, crc32c, exists)");
            }

            if (vol.VerifyChecksums)
            {
                var raw = new byte[SuperBlock.Size];
                source.ReadAt(SuperBlock.Offset, raw);
                var computed = SuperBlock.ComputeChecksum(raw);
                if (computed != sb.Checksum)
                {
                    vol.ChecksumMismatch("superblock at 0x400", sb.Checksum, computed);
                }
            }
        }

        if ((sb.FeatureIncompat & ExtFeatures.Recover) != 0)
        {
            vol.Warn($"{name}: filesystem needs journal recovery; reading the last checkpointed state");
        }

        return new Ext4FileSystem(vol, ReadGroupDescriptors(vol)) { Type = Classify(sb) };
    }

    /// <summary>"ext2"/"ext3"/"ext4" as blkid classifies the superblock, or null when there is none.</summary>
    public static string? Detect(IBlockSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length < SuperBlock.Offset + SuperBlock.Size)
        {
            return null;
        }

        var raw = new byte[SuperBlock.Size];
        source.ReadAt(SuperBlock.Offset, raw);
        if (!SuperBlock.HasMagic(raw))
        {
            return null;
        }

        try
        {
            var sb = SuperBlock.Parse(raw, source.Description);
            return (sb.FeatureIncompat & ExtFeatures.JournalDev) != 0 ? null : Classify(sb);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public void Dispose()
    {
    }

    /// <summary>The first physical block holding logical block <paramref name="logicalBlock"/> of an inode, −1 in a hole.</summary>
    internal long PhysicalBlock(uint inode, long logicalBlock) => CreateMapper(ReadInode(inode)).Map(logicalBlock, 1).PhysicalBlock;

    private static SuperBlock ReadSuperBlock(IBlockSource source)
    {
        if (source.Length < SuperBlock.Offset + SuperBlock.Size)
        {
            throw new InvalidDataException($"{source.Description}: too small (0x{source.Length:x} bytes) to hold an ext superblock");
        }

        var raw = new byte[SuperBlock.Size];
        source.ReadAt(SuperBlock.Offset, raw);
        return SuperBlock.Parse(raw, source.Description);
    }

    // libblkid superblocks/ext.c: a feature beyond ext3's makes it ext4; else a journal makes it ext3.
    private static string Classify(SuperBlock sb)
    {
        if ((sb.FeatureRoCompat & ~ExtFeatures.Ext3RoCompatSupported) != 0
            || (sb.FeatureIncompat & ~ExtFeatures.Ext3IncompatSupported) != 0)
        {
            return "ext4";
        }

        return (sb.FeatureCompat & ExtFeatures.HasJournal) != 0 ? "ext3" : "ext2";
    }

    private static ulong[] ReadGroupDescriptors(ExtVolume vol)
    {
        var sb = vol.Sb;
        var groups = sb.GroupCount;
        var perBlock = (uint)(vol.BlockSize / sb.DescSize);
        var tables = new ulong[groups];
        var metaBg = (sb.FeatureIncompat & ExtFeatures.MetaBg) != 0;
        for (uint nr = 0; nr * perBlock < groups; nr++)
        {
            // ext4 descriptor_loc: classic descriptors follow the superblock; with meta_bg, from
            // s_first_meta_bg on, each metagroup keeps its descriptor block in its first group
            // (after that group's superblock backup, when it has one).
            ulong block;
            if (!metaBg || nr < sb.FirstMetaBg)
            {
                block = sb.FirstDataBlock + 1UL + nr;
            }
            else
            {
                var bg = nr * perBlock;
                block = ((ulong)bg * sb.BlocksPerGroup) + sb.FirstDataBlock + (sb.GroupHasSuper(bg) ? 1UL : 0UL);
            }

            var data = vol.ReadBlock(block, $"group descriptor block {nr}");
            for (uint i = 0; i < perBlock && (nr * perBlock) + i < groups; i++)
            {
                var group = (nr * perBlock) + i;
                var raw = data.AsSpan((int)(i * sb.DescSize), sb.DescSize);
                var gd = GroupDescriptor.Parse(raw, sb.DescSize);
                if (vol.VerifyChecksums)
                {
                    var computed = GroupDescriptor.ComputeChecksum(vol.CsumSeed, group, raw);
                    if (computed != gd.Checksum)
                    {
                        vol.ChecksumMismatch(
                            $"group descriptor {group} (block {block}, offset 0x{((long)block * vol.BlockSize) + (i * sb.DescSize):x})",
                            gd.Checksum,
                            computed);
                    }
                }

                tables[group] = gd.InodeTable;
            }
        }

        return tables;
    }

    /// <summary>The byte offset of inode <paramref name="number"/> in the source.</summary>
    internal long InodeOffset(uint number)
    {
        var sb = _vol.Sb;
        if (number == 0 || number > sb.InodesCount)
        {
            throw new InvalidDataException($"{_vol.Name}: inode {number} is out of range (1..{sb.InodesCount})");
        }

        var group = (number - 1) / sb.InodesPerGroup;
        var index = (number - 1) % sb.InodesPerGroup;
        var table = _inodeTables[group];
        var tableBlocks = (((ulong)sb.InodesPerGroup * (ulong)sb.InodeSize) + (ulong)_vol.BlockSize - 1) / (ulong)_vol.BlockSize;
        _vol.CheckBlocks(table, tableBlocks, $"group {group} inode table");
        return ((long)table * _vol.BlockSize) + ((long)index * sb.InodeSize);
    }

    /// <summary>Reads and checks inode <paramref name="number"/>.</summary>
    internal Inode ReadInode(uint number)
    {
        var sb = _vol.Sb;
        var offset = InodeOffset(number);
        var raw = new byte[sb.InodeSize];
        _vol.Cache.Read(offset, raw);
        if (_vol.VerifyChecksums)
        {
            var generation = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(0x64));
            var seed = Crc32C.UpdateUInt32(Crc32C.UpdateUInt32(_vol.CsumSeed, number), generation);
            var (stored, computed) = Inode.Checksums(raw, seed);
            if (stored != computed)
            {
                _vol.ChecksumMismatch($"inode {number} at 0x{offset:x}", stored, computed);
            }
        }

        var inode = Inode.Parse(number, raw, sb, _vol.Name);
        if (inode.LinksCount == 0 && inode.Mode == 0)
        {
            throw new InvalidDataException($"{_vol.Name}: inode {number} at 0x{offset:x} is not in use (mode 0, no links) but is referenced");
        }

        return inode;
    }
}
