using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Disks;
using VmTeleport.Guests;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Os;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Content.Planning;

/// <summary>
/// The source VM as the planner needs it: its OS and packages, and every file and raw region with
/// its chunks (<see cref="ImageContent.Walk"/>, the same walk and chunking the index used, so the
/// ids meet). Held in memory as chunk ids and lengths only (about 40 bytes per 8 KiB of data).
/// </summary>
public sealed class SourceContent
{
    private SourceContent(string spec, OsInfo? os, IReadOnlyList<DpkgPackage> packages, IReadOnlyList<ContentItem> items, long allocated)
    {
        Spec = spec;
        Os = os;
        Packages = packages;
        Items = items;
        AllocatedBytes = allocated;
    }

    public string Spec { get; }

    public OsInfo? Os { get; }

    public IReadOnlyList<DpkgPackage> Packages { get; }

    public IReadOnlyList<ContentItem> Items { get; }

    /// <summary>Bytes the image file holds allocated for the guest (what a plain copy of the disk would read).</summary>
    public long AllocatedBytes { get; }

    /// <summary>Every distinct chunk of the source with its length.</summary>
    public IReadOnlyDictionary<ChunkId, int> DistinctChunks() =>
        Items.SelectMany(i => i.Chunks).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().Length);

    public static SourceContent Read(string spec, int threads, Action<long, long>? progress = null)
    {
        using var disk = DiskImage.Open(spec);
        var problems = new List<string>();
        OsInfo? os = null;
        IReadOnlyList<DpkgPackage> packages = [];
        using (var guest = GuestDisk.Open(disk))
        {
            if (guest.Guest is { } view)
            {
                os = OsProbe.Detect(view, problems);
                packages = os.PackageFormat == "deb" ? DpkgDatabase.Read(view, problems)?.Packages ?? [] : [];
            }
        }

        var items = new List<ContentItem>();
        long files = 0, bytes = 0;
        foreach (var item in ImageContent.Walk(disk, threads))
        {
            items.Add(item);
            files++;
            bytes += item.Size;
            progress?.Invoke(files, bytes);
        }

        long allocated = GuestInspector.AllocatedBytes(disk);
        return new SourceContent(spec, os, packages, items, allocated);
    }
}
