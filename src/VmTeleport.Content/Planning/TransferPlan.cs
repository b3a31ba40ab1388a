using System.Text.Json.Serialization;

namespace VmTeleport.Content.Planning;

/// <summary>
/// Where every byte of the source would come from (docs/plan-format.md): whole files found
/// locally, chunks found locally, chunks the source already sent once (duplicates), and chunks
/// that must cross the wire, with the wire bytes as the transfer would send them (zstd batches).
/// Invariant: the four parts, and with --allow-newer the newer packages' files, add up to <see cref="Bytes"/>.
/// </summary>
public sealed record TransferPlan
{
    public const string FormatName = "vmteleport-plan";

    public string Format => FormatName;

    public int Version => 1;

    public required string Source { get; init; }

    public string? Distro { get; init; }

    public string? DistroVersion { get; init; }

    /// <summary>Regular files and raw regions of the source.</summary>
    public required long Files { get; init; }

    public required long Regions { get; init; }

    /// <summary>Bytes of all files and regions (the guest's used data).</summary>
    public required long Bytes { get; init; }

    /// <summary>Of <see cref="Bytes"/>, the raw regions' (boot code, gaps, partitions not read as filesystems).</summary>
    public required long RegionBytes { get; init; }

    public required long DistinctChunks { get; init; }

    /// <summary>Bytes found locally, by kind of local source (image, snapshot, backing, deb).</summary>
    public required IReadOnlyDictionary<string, long> LocalBytes { get; init; }

    /// <summary>Files found whole locally (same SHA-256), by kind of local source.</summary>
    public required IReadOnlyDictionary<string, long> LocalFiles { get; init; }

    /// <summary>Bytes of chunks the source repeats: sent or found once, copied locally after.</summary>
    public required long DuplicateBytes { get; init; }

    public required long WireChunks { get; init; }

    /// <summary>Uncompressed bytes of the chunks found nowhere locally.</summary>
    public required long WireRawBytes { get; init; }

    /// <summary>Of <see cref="WireRawBytes"/>, the raw regions'.</summary>
    public required long RegionWireRawBytes { get; init; }

    /// <summary>What crosses the wire: those chunks compressed as the transfer sends them.</summary>
    public required long WireBytes { get; init; }

    /// <summary>
    /// With --allow-newer: bytes of the source's files that come from a newer version's archive
    /// instead (unmodified files of packages chosen newer, conffiles excepted); neither local nor
    /// wire. Null, and left out of the document, without --allow-newer.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? NewerPackageBytes { get; init; }

    /// <summary>The files of <see cref="NewerPackageBytes"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? NewerPackageFiles { get; init; }

    /// <summary>Archives fetched from indexed APT repositories for this plan (null when not asked to).</summary>
    public ArchiveFetch? ArchivesFetched { get; init; }

    public required PlainCopy PlainCopy { get; init; }

    public required CostModel Cost { get; init; }

    /// <summary>"teleport" or "copy".</summary>
    public required string Decision { get; init; }

    public required string Reason { get; init; }
}

/// <summary>A plain compressed copy of the image, the alternative teleporting must beat.</summary>
public sealed record PlainCopy(long AllocatedBytes, long CompressedBytes, long SampledBytes, string Method);

/// <summary>The seconds each way at the given bandwidth, from rates measured on this machine.</summary>
public sealed record CostModel(
    double BandwidthBytesPerSecond,
    double LocalReadBytesPerSecond,
    double WriteBytesPerSecond,
    double TeleportWireSeconds,
    double TeleportRebuildSeconds,
    double TeleportSeconds,
    double CopyWireSeconds,
    double CopyWriteSeconds,
    double CopySeconds);
