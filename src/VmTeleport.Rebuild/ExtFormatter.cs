using System.Globalization;
using VmTeleport.Content.Layout;

namespace VmTeleport.Rebuild;

/// <summary>
/// Re-creates an ext filesystem with <c>mkfs.ext4 -d STAGING</c> straight into the output raw
/// file at the volume's offset (<c>-E offset=</c>), with the source's UUID, label, hash seed,
/// block and inode size, inode count, blocks per group, flex group size, journal size, reserved
/// blocks and exactly its feature set (<c>-O none,…</c>, so mke2fs.conf adds nothing).
/// </summary>
public static class ExtFormatter
{
    public static IReadOnlyList<string> Arguments(ExtVolume volume, string staging, string output)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var p = volume.Parameters;
        var features = p.Features.Where(f => !ExtParameters.StateFeatures.Contains(f)).ToList();
        var unknown = features.FirstOrDefault(f => f.StartsWith("FEATURE_", StringComparison.Ordinal));
        if (unknown is not null)
        {
            throw new NotSupportedException($"volume {volume.Number}: ext feature {unknown} is unknown to the rebuild");
        }

        var extended = new List<string>
        {
            $"offset={volume.Offset.ToString(CultureInfo.InvariantCulture)}",
            $"hash_seed={p.HashSeed}",
            // The volume's range of the raw file is punched (discard on a regular file), so mke2fs
            // knows it reads as zeros: it skips writing zeros over the inode tables (48 MiB for
            // debian12) yet marks them zeroed, and the journal (lazy_journal_init=1) is left as the
            // punched holes. Byte for byte the same filesystem as nodiscard with both inits at 0
            // (checked with E2FSPROGS_FAKE_TIME), 108 MB fewer bytes written. Only the volume's
            // range is punched ("-E offset" applies), so other volumes and regions keep their bytes;
            // DiskRebuilder writes into a fresh sparse file, so should punching fail the journal
            // still reads as zeros.
            "discard",
            "lazy_itable_init=0",
            "lazy_journal_init=1",
        };
        if (p.FilenameEncoding == 1)
        {
            extended.Add("encoding=utf8");
        }

        var args = new List<string>
        {
            "-q", "-F", "-t", p.Type,
            "-U", p.Uuid.ToString(),
            "-L", p.Label,
            "-b", p.BlockSize.ToString(CultureInfo.InvariantCulture),
            "-I", p.InodeSize.ToString(CultureInfo.InvariantCulture),
            "-N", p.InodeCount.ToString(CultureInfo.InvariantCulture),
            "-g", p.BlocksPerGroup.ToString(CultureInfo.InvariantCulture),
            "-O", "none" + string.Concat(features.Select(f => "," + f)),
            "-m", (100.0 * p.ReservedBlockCount / p.BlockCount).ToString("0.######", CultureInfo.InvariantCulture),
        };
        if (features.Contains("flex_bg"))
        {
            args.AddRange(["-G", (1 << p.LogGroupsPerFlex).ToString(CultureInfo.InvariantCulture)]);
        }

        if (features.Contains("has_journal") && p.JournalSize > 0)
        {
            args.AddRange(["-J", $"size={Math.Max(1, p.JournalSize >> 20).ToString(CultureInfo.InvariantCulture)}"]);
        }

        args.AddRange(["-E", string.Join(',', extended), "-d", staging, output, p.BlockCount.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }

    public static void Format(ExtVolume volume, string staging, string output) =>
        ExternalTool.Run("mkfs.ext4", Arguments(volume, staging, output), new Dictionary<string, string> { ["MKE2FS_CONFIG"] = "/dev/null" });
}
