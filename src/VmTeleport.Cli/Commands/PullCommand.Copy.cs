using System.Globalization;
using VmTeleport.Content.Layout;
using VmTeleport.Guests.Hardware;
using VmTeleport.Rebuild.Pull;
using VmTeleport.Rebuild.Verification;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Cli.Commands;

/// <summary>pull's plain copy: the source's image file as it is, verified like a teleport, deployed like one.</summary>
public static partial class PullCommand
{
    private static int PullCopy(Request q, AgentClient client, PullPhases phases, string output, string vm, RemoteManifest manifest,
        DiskLayout layout, DomainHardware? hardware, PlainCopyOffer offer, ImageCopy copy, PullDecision decision, long bytes)
    {
        var display = phases.Display;
        var (resumedFrom, received) = phases.Run("copy", offer.FileBytes, () => File.Exists(copy.Download) ? new FileInfo(copy.Download).Length : 0,
            () => copy.Fetch(client, manifest, decision.CopyLevel, offer.FileBytes));
        if (resumedFrom > 0)
        {
            display.Log($"resumed the copy at {Size.Format(resumedFrom)} of {Size.Format(offer.FileBytes)} (what an earlier run received)");
        }

        if (copy.Convert)
        {
            phases.Run("convert", 0, null, () =>
            {
                copy.ConvertToQcow2();
                return 0;
            });
        }

        // The same verification as a teleport's, so "exact" means the same thing for both.
        var report = phases.Run("verify", 0, null, () => LayoutVerification.Compare(layout, copy.Partial, q.Threads, cap: 20));
        if (!report.Exact)
        {
            LogDifferences(display, report);
            copy.Discard();
            throw new InvalidDataException($"the copy of {vm} differs from its source's layout and manifest; removed it, {output} not written");
        }

        File.Move(copy.Partial, output);
        File.Delete(copy.StateFile);
        display.Log($"copied and verified {output}");
        var domainXml = phases.Run("deploy", 0, null, () => Deploy(q, hardware, output));
        phases.Finish();
        PrintFinished(q, client, phases, vm, output, "copy", report.Exact, decision, bytes, new Dictionary<string, object?>
        {
            ["copy"] = new Dictionary<string, object?>
            {
                ["image_bytes"] = offer.FileBytes,
                ["source_format"] = offer.Format,
                ["estimated_zstd_bytes"] = offer.EstimatedZstdBytes,
                ["level"] = decision.CopyLevel,
                ["resumed_from"] = resumedFrom,
                ["received_bytes"] = received,
                ["converted"] = copy.Convert,
            },
        }, string.Create(CultureInfo.InvariantCulture,
            $"{output}: copied, verified exact; {Size.Format(client.WireBytesReceived)} over the wire, {phases.Seconds["total"]:F1} s"), domainXml);

        return ExitCodes.Success;
    }
}
