namespace VmTeleport.Rebuild.Pull;

/// <summary>
/// The local rates behind pull's choice between teleport and plain copy (docs/pull.md, "The
/// decision"). The link's rate is measured (or given); everything else a pull does is bounded by
/// this machine's CPU and disk, and these constants say how fast. Measured on the project's build
/// machine (2 shared cores, Debian 12): the Debian fixture's rows come from bench/teleport.sh
/// (2026-11-30, docs/pull.md "Measured"); the copy's and the fixed costs from pulls of the demo
/// and Debian fixtures over loopback (2026-11-30, docs/pull.md "The decision, measured").
/// </summary>
public static class TeleportCostModel
{
    /// <summary>extract_packages: 626 MB of chunks from 157 .debs in 10.9 s (xz, SHA-256, pack store).</summary>
    public const double DebExtractBytesPerSecond = 57e6;

    /// <summary>transfer when the link is not the limit: raw chunk bytes through TLS, zstd, SHA-256 and the store on 2 cores (28 MB/s unshaped).</summary>
    public const double ChunkFetchBytesPerSecond = 28e6;

    /// <summary>rebuild: stage, mkfs -d, fixups, qcow2 of 736 MB of guest data in 4.5 s.</summary>
    public const double RebuildBytesPerSecond = 160e6;

    /// <summary>rebuild's extra when chunks are read from a local image: 6.2 s instead of 4.5 s for 660 MB.</summary>
    public const double LocalImageReadBytesPerSecond = 390e6;

    /// <summary>rebuild of a nearly empty disk (mkfs, debugfs, qemu-img convert and check, process starts): the demo disk's.</summary>
    public const double RebuildFixedSeconds = 0.8;

    /// <summary>verify: 736 MB of guest data compared against the layout and manifest in 1.2 s.</summary>
    public const double VerifyBytesPerSecond = 610e6;

    /// <summary>verify of a copied image: the source's own qcow2, its files where the guest put them (2.3–2.9 s for debian12's 736 MB, against 1.2–1.9 s for a rebuilt one).</summary>
    public const double CopyVerifyBytesPerSecond = 280e6;

    /// <summary>verify of a nearly empty disk (open, walk, compare): the demo disk's.</summary>
    public const double VerifyFixedSeconds = 0.2;

    /// <summary>The agent's zstd level 1 of the image file (ZstdSharp, one thread, read included): debian12.qcow2's 757 MB in 5.1 s, twice.</summary>
    public const double CopyZstdBytesPerSecond = 150e6;

    /// <summary>The copy's stream when neither the link nor zstd limits it: TLS on both sides, decompression and the write (debian12 uncompressed over loopback: 757 MB in 4.4 s under load 9, faster when the machine is idle).</summary>
    public const double CopyWriteBytesPerSecond = 250e6;

    /// <summary>qemu-img convert of a raw download to the qcow2 output (only when the formats differ).</summary>
    public const double ConvertBytesPerSecond = 900e6;

    /// <summary>Teleport's chunks compress like the image file: its zstd-1 ratio, when the agent gave none.</summary>
    public const double DefaultCompressionRatio = 0.4;

    /// <summary>Seconds for the rest of a teleport once the plan is made.</summary>
    public static double TeleportSeconds(TeleportWork work, double bandwidthBytesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(work);
        double wire = Math.Max(work.WireRawBytes * work.CompressionRatio / bandwidthBytesPerSecond, work.WireRawBytes / ChunkFetchBytesPerSecond);
        return (work.DebBytes / DebExtractBytesPerSecond) + wire
            + RebuildFixedSeconds + (work.GuestBytes / RebuildBytesPerSecond) + (work.LocalImageBytes / LocalImageReadBytesPerSecond)
            + VerifyFixedSeconds + (work.GuestBytes / VerifyBytesPerSecond);
    }

    /// <summary>
    /// Seconds for the rest of a plain copy, and the zstd level to ask for: 1, unless the agent's
    /// compression would be slower than sending the bytes as they are (a fast link), then 0.
    /// </summary>
    public static (double Seconds, int Level) CopySeconds(CopyWork work, double bandwidthBytesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(work);
        double compressed = Math.Max(Math.Max(work.CompressedBytes / bandwidthBytesPerSecond, work.FileBytes / CopyZstdBytesPerSecond), work.FileBytes / CopyWriteBytesPerSecond);
        double plain = Math.Max(work.FileBytes / bandwidthBytesPerSecond, work.FileBytes / CopyWriteBytesPerSecond);
        double after = (work.Convert ? work.TotalFileBytes / ConvertBytesPerSecond : 0) + VerifyFixedSeconds + (work.GuestBytes / CopyVerifyBytesPerSecond);
        return plain < compressed ? (plain + after, 0) : (compressed + after, 1);
    }
}

/// <summary>What is left of a teleport after the plan: bytes from packages, over the wire (raw), from local images, and the guest's bytes to rebuild and verify.</summary>
public sealed record TeleportWork(long DebBytes, long WireRawBytes, long LocalImageBytes, long GuestBytes, double CompressionRatio);

/// <summary>What is left of a plain copy: file bytes still to receive and their zstd-1 estimate, whether a conversion follows, and the guest's bytes to verify.</summary>
public sealed record CopyWork(long FileBytes, long CompressedBytes, long TotalFileBytes, bool Convert, long GuestBytes);
