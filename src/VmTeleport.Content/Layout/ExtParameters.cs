using VmTeleport.FileSystems.Ext;

namespace VmTeleport.Content.Layout;

/// <summary>
/// What mkfs.ext4 needs to re-create an ext2/3/4 filesystem like the source's: the superblock's
/// identity (UUID, label, hash seed), geometry (block and inode size and counts, blocks per group,
/// flex group size), feature set, journal size and reserved blocks.
/// </summary>
public sealed record ExtParameters
{
    public required string Type { get; init; }
    public required Guid Uuid { get; init; }
    public required string Label { get; init; }
    public required int BlockSize { get; init; }
    public required int InodeSize { get; init; }
    public required uint InodeCount { get; init; }
    public required ulong BlockCount { get; init; }
    public required uint BlocksPerGroup { get; init; }
    public required int LogGroupsPerFlex { get; init; }
    public required IReadOnlyList<string> Features { get; init; }
    public required Guid HashSeed { get; init; }
    public required int DefaultHashVersion { get; init; }
    public required long JournalSize { get; init; }
    public required ulong ReservedBlockCount { get; init; }
    public required int FilenameEncoding { get; init; }

    /// <summary>Features describing state, not format: mkfs must not be asked for them.</summary>
    public static readonly IReadOnlyList<string> StateFeatures = ["needs_recovery", "orphan_present"];

    public static ExtParameters Of(Ext4FileSystem fs)
    {
        ArgumentNullException.ThrowIfNull(fs);
        return new ExtParameters
        {
            Type = fs.Type,
            Uuid = fs.Uuid,
            Label = fs.Label,
            BlockSize = fs.BlockSize,
            InodeSize = fs.InodeSize,
            InodeCount = fs.InodeCount,
            BlockCount = fs.BlockCount,
            BlocksPerGroup = fs.BlocksPerGroup,
            LogGroupsPerFlex = fs.LogGroupsPerFlex,
            Features = fs.Features,
            HashSeed = fs.HashSeed,
            DefaultHashVersion = fs.DefaultHashVersion,
            JournalSize = fs.JournalSize,
            ReservedBlockCount = fs.ReservedBlockCount,
            FilenameEncoding = fs.FilenameEncoding,
        };
    }
}
