using System.Globalization;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild.Verification;

/// <summary>
/// Checks a rebuilt disk against the source's layout and manifest, as `pull` must before it calls
/// a copy finished, when the source image itself is on another machine: the virtual size; every
/// ext volume entry by entry with the same fields (and hard-link rule) as image-to-image
/// verification, each file's SHA-256 against the manifest's; and every raw region chunk by chunk
/// against the manifest's chunk ids (partition tables and boot code included).
/// </summary>
public static class LayoutVerification
{
    /// <param name="scope">For a functional copy: the differences it may have (reported apart, see <see cref="ComparisonReport.Functional"/>).</param>
    public static ComparisonReport Compare(DiskLayout expected, string target, int threads, int cap = 100, FunctionalScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(target);
        var log = new DifferenceLog(cap);
        var explained = new DifferenceLog(cap);
        var add = log.Sink(scope, explained);
        long compared = 0;

        using var disk = DiskImage.Open(target);
        if (disk.Length != expected.DiskSize)
        {
            log.Add(new Difference("disk", "", "virtual_size", Num(expected.DiskSize), Num(disk.Length)));
        }

        var sha = expected.Items.Where(i => i.Kind == ContentItemKind.File && i.Sha256 is not null)
            .ToDictionary(i => (i.Volume ?? 0, i.Path!), i => Convert.ToHexStringLower(i.Sha256!));
        foreach (var volume in expected.Volumes)
        {
            var where = $"volume {volume.Number}";
            var lines = volume.Entries.Select(e => TreeRecord.ToJsonLine(e,
                e.Type == EntryType.File ? sha.GetValueOrDefault((volume.Number, e.Path)) : null));
            var want = EntrySet.FromLines(lines, $"layout {where}");
            EntrySet have;
            try
            {
                using var fs = FileSystemProbe.Open(DiskLayout.VolumeSource(disk, volume.Number));
                have = EntrySet.FromFileSystem(fs, threads);
            }
            catch (InvalidDataException e)
            {
                log.Add(new Difference(where, "", "filesystem", "\"ext\"", System.Text.Json.JsonSerializer.Serialize(e.Message)));
                continue;
            }

            compared += ImageVerification.CompareEntries(where, want, have, add);
        }

        var hasher = ChunkHasher.Default;
        var buffer = new byte[64 * 1024];
        foreach (var region in expected.Items.Where(i => i.Kind == ContentItemKind.Region))
        {
            long offset = region.DiskOffset ?? 0;
            foreach (var c in region.Chunks)
            {
                var data = buffer.AsSpan(0, c.Length);
                disk.ReadAt(offset, data);
                if (hasher.Hash(data) != c.Id)
                {
                    log.Add(new Difference("disk", string.Create(CultureInfo.InvariantCulture, $"0x{offset:x}+0x{c.Length:x}"), "raw",
                        $"\"{c.Id}\"", $"\"{hasher.Hash(data)}\""));
                }

                offset += c.Length;
            }

            compared++;
        }

        return log.Report("image and layout", compared, scope, explained);
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
