using System.Globalization;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Content.Index;

namespace VmTeleport.Content.Planning;

/// <summary>
/// Decides for every file and raw region of the source where its bytes come from, using all
/// local data at once: a file whose SHA-256 some indexed image or package holds is copied whole
/// from there; otherwise each chunk comes from wherever the index finds it, or from the wire. A
/// chunk the source repeats is fetched or found once. Then the cost model: wire time at the
/// bandwidth plus rebuild time (local reads at the rate this walk read the source, writes at the
/// rate measured on this machine) against a plain compressed copy of the image.
/// With --allow-newer, the files of packages the destination installs in a newer version
/// (<paramref name="newerPackagePaths"/>: unmodified, not conffiles) come from that version's
/// archive: they are neither local nor wire, only counted as <see cref="TransferPlan.NewerPackageBytes"/>.
/// </summary>
public static class TransferPlanner
{
    public static TransferPlan Build(SourceContent source, ContentIndex index, double bandwidthBytesPerSecond, double sourceReadBytesPerSecond, double writeBytesPerSecond,
        IReadOnlySet<string>? newerPackagePaths = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(index);
        var local = new Dictionary<string, long>(StringComparer.Ordinal);
        var localFiles = new Dictionary<string, long>(StringComparer.Ordinal);
        var known = new HashSet<ChunkId>();   // found locally or already planned for the wire
        var wire = new HashSet<ChunkId>();
        long bytes = 0, duplicate = 0, wireRaw = 0, files = 0, regions = 0, regionBytes = 0, regionWire = 0, newerBytes = 0, newerFiles = 0;
        foreach (var item in source.Items)
        {
            bytes += item.Size;
            if (item.Kind == ContentItemKind.File)
            {
                files++;
                if (newerPackagePaths is not null && item.GuestPath is { } guestPath && newerPackagePaths.Contains(guestPath))
                {
                    newerBytes += item.Size;
                    newerFiles++;
                    continue;
                }

                if (item.Sha256 is { } sha && index.FindFilesBySha256(sha, 1) is [var whole, ..])
                {
                    var kind = SourceKinds.Name(whole.Kind);
                    foreach (var c in item.Chunks)
                    {
                        if (known.Add(c.Id))
                        {
                            Add(local, kind, c.Length);
                        }
                        else
                        {
                            duplicate += c.Length;
                        }
                    }

                    Add(localFiles, kind, 1);
                    continue;
                }
            }
            else
            {
                regions++;
                regionBytes += item.Size;
            }

            foreach (var c in item.Chunks)
            {
                if (!known.Add(c.Id))
                {
                    duplicate += c.Length;
                }
                else if (index.FindChunk(c.Id) is { } at)
                {
                    Add(local, SourceKinds.Name(at.Kind), c.Length);
                }
                else
                {
                    wire.Add(c.Id);
                    wireRaw += c.Length;
                    regionWire += item.Kind == ContentItemKind.Region ? c.Length : 0;
                }
            }
        }

        long wireBytes = WireSizer.CompressedSize(source.Spec, source.Items, wire);
        var copy = WireSizer.EstimatePlainCopy(source.Spec);
        long localTotal = local.Values.Sum();
        double teleportWire = wireBytes / bandwidthBytesPerSecond;
        double rebuild = (localTotal / sourceReadBytesPerSecond) + (bytes / writeBytesPerSecond);
        double copyWire = copy.CompressedBytes / bandwidthBytesPerSecond;
        double copyWrite = copy.AllocatedBytes / writeBytesPerSecond;
        var cost = new CostModel(bandwidthBytesPerSecond, sourceReadBytesPerSecond, writeBytesPerSecond,
            teleportWire, rebuild, teleportWire + rebuild, copyWire, copyWrite, copyWire + copyWrite);
        bool teleport = cost.TeleportSeconds < cost.CopySeconds;
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"teleport {cost.TeleportSeconds:F1} s ({wireBytes / 1e6:F1} MB over the wire in {teleportWire:F1} s, rebuild {rebuild:F1} s) "
            + $"{(teleport ? "<" : ">=")} plain copy {cost.CopySeconds:F1} s ({copy.CompressedBytes / 1e6:F1} MB in {copyWire:F1} s, write {copyWrite:F1} s) at {bandwidthBytesPerSecond / 1e6:F2} MB/s");
        return new TransferPlan
        {
            Source = source.Spec,
            Distro = source.Os?.Distro,
            DistroVersion = source.Os?.Version,
            Files = files,
            Regions = regions,
            Bytes = bytes,
            RegionBytes = regionBytes,
            DistinctChunks = known.Count,
            LocalBytes = local,
            LocalFiles = localFiles,
            DuplicateBytes = duplicate,
            WireChunks = wire.Count,
            WireRawBytes = wireRaw,
            RegionWireRawBytes = regionWire,
            WireBytes = wireBytes,
            PlainCopy = copy,
            Cost = cost,
            Decision = teleport ? "teleport" : "copy",
            Reason = reason,
            NewerPackageBytes = newerPackagePaths is null ? null : newerBytes,
            NewerPackageFiles = newerPackagePaths is null ? null : newerFiles,
        };
    }

    private static void Add(Dictionary<string, long> totals, string key, long value) =>
        totals[key] = totals.GetValueOrDefault(key) + value;
}
