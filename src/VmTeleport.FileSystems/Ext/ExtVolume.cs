using VmTeleport.Disks;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// What every structure reader of one filesystem shares: the source, the superblock, the
/// checksum seed and policy, the metadata cache and the warnings.
/// </summary>
internal sealed class ExtVolume
{
    private readonly List<string> _warnings = [];
    private readonly Lock _lock = new();

    public ExtVolume(IBlockSource source, SuperBlock sb, Ext4OpenOptions options)
    {
        Source = source;
        Sb = sb;
        Options = options;
        BlockSize = sb.BlockSize;
        Cache = new MetadataCache(source, BlockSize);

        // ext4 disk layout, "Checksums": the seed is s_checksum_seed with metadata_csum_seed,
        // else crc32c(~0, UUID).
        CsumSeed = (sb.FeatureIncompat & ExtFeatures.CsumSeed) != 0 ? sb.ChecksumSeed : Crc32C.Update(0xFFFFFFFF, sb.Uuid);
        VerifyChecksums = sb.HasMetadataCsum && options.VerifyChecksums;
    }

    public IBlockSource Source { get; }

    public SuperBlock Sb { get; }

    public Ext4OpenOptions Options { get; }

    public int BlockSize { get; }

    public MetadataCache Cache { get; }

    public uint CsumSeed { get; }

    public bool VerifyChecksums { get; }

    public string Name => Source.Description;

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lock)
            {
                return _warnings.ToArray();
            }
        }
    }

    public void Warn(string message)
    {
        lock (_lock)
        {
            if (_warnings.Count < 1000 && !_warnings.Contains(message))
            {
                _warnings.Add(message);
            }
        }
    }

    /// <summary>A checksum mismatch: an error, or a warning when the caller asked to read on.</summary>
    public void ChecksumMismatch(string what, uint stored, uint computed)
    {
        var message = $"{Name}: {what} checksum 0x{stored:x8} does not match the computed 0x{computed:x8}";
        if (Options.ChecksumErrorsAsWarnings)
        {
            Warn(message);
            return;
        }

        throw new InvalidDataException(message);
    }

    /// <summary>Checks that blocks [block, block + count) lie inside the filesystem.</summary>
    public void CheckBlocks(ulong block, ulong count, string what)
    {
        if (block == 0 || block >= Sb.BlocksCount || count > Sb.BlocksCount - block)
        {
            throw new InvalidDataException(
                $"{Name}: {what} points to blocks {block}+{count}, outside the filesystem's blocks 1..{Sb.BlocksCount - 1}");
        }
    }

    /// <summary>Reads a whole metadata block through the cache.</summary>
    public byte[] ReadBlock(ulong block, string what)
    {
        CheckBlocks(block, 1, what);
        var data = new byte[BlockSize];
        Cache.Read((long)block * BlockSize, data);
        return data;
    }
}
