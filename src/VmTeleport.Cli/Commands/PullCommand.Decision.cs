using VmTeleport.Rebuild.Pull;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Cli.Commands;

/// <summary>pull's choice between teleport and plain copy (docs/pull.md, "The decision").</summary>
public static partial class PullCommand
{
    /// <summary>The probe reads at most this much …</summary>
    private const long ProbeBytes = 16L << 20;

    /// <summary>… but no more than this share of the smaller of the two methods' wire bytes (the probe's bytes are wire bytes too) …</summary>
    private const double ProbeShare = 0.05;

    /// <summary>… nor less than this (a forced teleport reads only this much: its estimates are for the log).</summary>
    private const long ProbeMinimumBytes = 1L << 20;

    /// <summary>… for at most this long …</summary>
    private static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(0.5);

    /// <summary>… and does not rate its start (TCP slow start, TLS and HTTP/2 set-up).</summary>
    private const long ProbeIgnoredBytes = 256L << 10;

    private static PullDecision Decide(Request q, AgentClient client, PullPhases phases, PlainCopyOffer? offer, ChunkSourcing sourcing,
        ImageCopy? copy, string imageState, long guestBytes, double? given)
    {
        // The chunks compress as the file's content does: zstd-1 of the file over the bytes that
        // hold data (a sparse raw file's holes compress to nothing, so the guest's bytes when fewer).
        double ratio = offer is { FileBytes: > 0, EstimatedZstdBytes: > 0 }
            ? Math.Clamp((double)offer.EstimatedZstdBytes / Math.Min(offer.FileBytes, Math.Max(1, guestBytes)), 0.02, 1.0)
            : TeleportCostModel.DefaultCompressionRatio;
        var teleport = new TeleportWork(sourcing.DebBytes, sourcing.WireBytes, sourcing.LocalBytes, guestBytes, ratio);
        CopyWork? copyWork = null;
        if (copy is not null && offer is not null)
        {
            long rest = offer.FileBytes - Math.Min(copy.Resumable(imageState), offer.FileBytes);
            long compressed = offer.FileBytes == 0 ? 0 : (long)(offer.EstimatedZstdBytes * ((double)rest / offer.FileBytes));
            copyWork = new CopyWork(rest, compressed, offer.FileBytes, copy.Convert, guestBytes);
        }

        if (given is { } rate)
        {
            return PullDecision.Decide(q.Method, offer, teleport, copyWork, rate, measured: false);
        }

        // A similar local image leaves a teleport a few MB to fetch: a 16 MiB probe would be most of
        // its wire bytes (measured: 4.3 MB became 21.1 MB on loopback).
        double smaller = Math.Min(teleport.WireRawBytes * ratio, copyWork is null ? double.MaxValue : copyWork.CompressedBytes);
        long budget = q.Method == "teleport" ? ProbeMinimumBytes : (long)Math.Clamp(ProbeShare * smaller, ProbeMinimumBytes, ProbeBytes);
        var probe = phases.Run("probe", 0, null, () => client.ProbeAsync(budget, ProbeTime, ProbeIgnoredBytes).GetAwaiter().GetResult());
        return PullDecision.Decide(q.Method, offer, teleport, copyWork, probe.BytesPerSecond, measured: true);
    }

    private static Dictionary<string, object?> DecisionJson(PullDecision d) => new()
    {
        ["method"] = d.Method,
        ["reason"] = d.Reason,
        ["bandwidth_bytes_per_second"] = Math.Round(d.BandwidthBytesPerSecond),
        ["bandwidth_measured"] = d.BandwidthMeasured,
        ["estimated_seconds"] = new Dictionary<string, object?>
        {
            ["teleport"] = Math.Round(d.TeleportSeconds, 3),
            ["copy"] = d.CopySeconds is { } c ? Math.Round(c, 3) : null,
        },
        ["copy_level"] = d.CopyLevel,
    };
}
