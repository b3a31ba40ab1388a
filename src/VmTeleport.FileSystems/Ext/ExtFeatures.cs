namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// The superblock's feature bits (ext4 disk layout, "The Super Block": s_feature_compat,
/// s_feature_incompat, s_feature_ro_compat) with the names dumpe2fs prints for them.
/// </summary>
internal static class ExtFeatures
{
    // COMPAT
    public const uint HasJournal = 0x4;

    // INCOMPAT
    public const uint Compression = 0x1;
    public const uint FileType = 0x2;
    public const uint Recover = 0x4;
    public const uint JournalDev = 0x8;
    public const uint MetaBg = 0x10;
    public const uint Extents = 0x40;
    public const uint Bit64 = 0x80;
    public const uint Mmp = 0x100;
    public const uint FlexBg = 0x200;
    public const uint EaInode = 0x400;
    public const uint DirData = 0x1000;
    public const uint CsumSeed = 0x2000;
    public const uint LargeDir = 0x4000;
    public const uint InlineData = 0x8000;
    public const uint Encrypt = 0x10000;
    public const uint Casefold = 0x20000;

    /// <summary>INCOMPAT bits this reader understands; any other bit makes the filesystem unreadable.</summary>
    public const uint SupportedIncompat = FileType | Recover | MetaBg | Extents | Bit64 | Mmp | FlexBg | EaInode
        | CsumSeed | LargeDir | InlineData | Encrypt | Casefold;

    // RO_COMPAT
    public const uint SparseSuper = 0x1;
    public const uint LargeFile = 0x2;
    public const uint BtreeDir = 0x4;
    public const uint HugeFile = 0x8;
    public const uint GdtCsum = 0x10;
    public const uint MetadataCsum = 0x400;

    // blkid (libblkid superblocks/ext.c) calls a filesystem ext4 as soon as it has a feature
    // outside these sets; with a journal and none outside them it is ext3, else ext2.
    public const uint Ext3RoCompatSupported = SparseSuper | LargeFile | BtreeDir;
    public const uint Ext3IncompatSupported = FileType | Recover | MetaBg;

    public static readonly IReadOnlyDictionary<uint, string> CompatNames = new Dictionary<uint, string>
    {
        [0x1] = "dir_prealloc", [0x2] = "imagic_inodes", [0x4] = "has_journal", [0x8] = "ext_attr",
        [0x10] = "resize_inode", [0x20] = "dir_index", [0x40] = "lazy_bg", [0x80] = "snapshot_bitmap",
        [0x100] = "sparse_super2", [0x200] = "fast_commit", [0x400] = "stable_inodes", [0x800] = "orphan_file",
    };

    public static readonly IReadOnlyDictionary<uint, string> IncompatNames = new Dictionary<uint, string>
    {
        [0x1] = "compression", [0x2] = "filetype", [0x4] = "needs_recovery", [0x8] = "journal_dev",
        [0x10] = "meta_bg", [0x40] = "extent", [0x80] = "64bit", [0x100] = "mmp", [0x200] = "flex_bg",
        [0x400] = "ea_inode", [0x1000] = "dirdata", [0x2000] = "metadata_csum_seed", [0x4000] = "large_dir",
        [0x8000] = "inline_data", [0x10000] = "encrypt", [0x20000] = "casefold",
    };

    public static readonly IReadOnlyDictionary<uint, string> RoCompatNames = new Dictionary<uint, string>
    {
        [0x1] = "sparse_super", [0x2] = "large_file", [0x4] = "btree_dir", [0x8] = "huge_file",
        [0x10] = "uninit_bg", [0x20] = "dir_nlink", [0x40] = "extra_isize", [0x80] = "snapshot",
        [0x100] = "quota", [0x200] = "bigalloc", [0x400] = "metadata_csum", [0x800] = "replica",
        [0x1000] = "read-only", [0x2000] = "project", [0x4000] = "shared_blocks", [0x8000] = "verity",
        [0x10000] = "orphan_present",
    };

    /// <summary>The names of the set bits, unknown ones as FEATURE_{C,I,R}nn like e2p does.</summary>
    public static IReadOnlyList<string> Names(uint bits, IReadOnlyDictionary<uint, string> names, char kind)
    {
        var list = new List<string>();
        for (var i = 0; i < 32; i++)
        {
            var bit = 1u << i;
            if ((bits & bit) != 0)
            {
                list.Add(names.TryGetValue(bit, out var n) ? n : $"FEATURE_{kind}{i}");
            }
        }

        return list;
    }
}
