using System.Globalization;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Rebuild.Pull;

/// <summary>
/// Teleport or plain copy, and why: both estimated with <see cref="TeleportCostModel"/> at the
/// link's rate; `auto` takes the one that finishes first, a forced method is taken as it is but
/// still reports both estimates.
/// </summary>
public sealed record PullDecision
{
    public required string Method { get; init; }

    public required string Reason { get; init; }

    public required double BandwidthBytesPerSecond { get; init; }

    public required bool BandwidthMeasured { get; init; }

    public required double TeleportSeconds { get; init; }

    /// <summary>Null when a plain copy is impossible.</summary>
    public required double? CopySeconds { get; init; }

    /// <summary>The zstd level the copy asks for (0 when the link outruns compression).</summary>
    public required int CopyLevel { get; init; }

    /// <summary>
    /// Decides for <paramref name="requested"/> (auto, teleport or copy). A forced copy that the
    /// agent refuses (<paramref name="offer"/> with a refusal, or none) is a
    /// <see cref="NotSupportedException"/>; auto then teleports and says why.
    /// </summary>
    public static PullDecision Decide(string requested, PlainCopyOffer? offer, TeleportWork teleport, CopyWork? copy, double bandwidth, bool measured)
    {
        ArgumentNullException.ThrowIfNull(teleport);
        double teleportSeconds = TeleportCostModel.TeleportSeconds(teleport, bandwidth);
        string rate = string.Create(CultureInfo.InvariantCulture, $"{bandwidth / 1e6:0.###} MB/s ({(measured ? "measured" : "given")})");
        string? refusal = offer is null ? "the agent offers no plain copy" : offer.Refusal;
        if (refusal is not null || copy is null)
        {
            refusal ??= "the agent offers no plain copy";
            if (requested == "copy")
            {
                throw new NotSupportedException($"--method copy: {refusal}; pull it with --method teleport");
            }

            return new PullDecision
            {
                Method = "teleport",
                Reason = string.Create(CultureInfo.InvariantCulture, $"teleport — {(requested == "teleport" ? "forced by --method teleport" : "no plain copy")}: {refusal}; est. {teleportSeconds:0.0} s at {rate}"),
                BandwidthBytesPerSecond = bandwidth,
                BandwidthMeasured = measured,
                TeleportSeconds = teleportSeconds,
                CopySeconds = null,
                CopyLevel = 1,
            };
        }

        var (copySeconds, level) = TeleportCostModel.CopySeconds(copy, bandwidth);
        string method = requested switch
        {
            "teleport" or "copy" => requested,
            _ => copySeconds < teleportSeconds ? "copy" : "teleport",
        };
        double chosen = method == "copy" ? copySeconds : teleportSeconds, other = method == "copy" ? teleportSeconds : copySeconds;
        string why = requested == "auto" ? "" : $" (forced by --method {requested})";
        string copyLevel = method == "copy" ? (level == 0 ? ", uncompressed: the link outruns zstd" : ", zstd -1") : "";
        return new PullDecision
        {
            Method = method,
            Reason = string.Create(CultureInfo.InvariantCulture,
                $"{method}{why} — est. {chosen:0.0} s vs {(method == "copy" ? "teleport" : "copy")} {other:0.0} s at {rate}{copyLevel}"),
            BandwidthBytesPerSecond = bandwidth,
            BandwidthMeasured = measured,
            TeleportSeconds = teleportSeconds,
            CopySeconds = copySeconds,
            CopyLevel = level,
        };
    }
}
