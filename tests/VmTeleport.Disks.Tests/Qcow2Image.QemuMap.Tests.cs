using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.Disks.Tests;

/// <summary>GetExtents agrees with `qemu-img map --output=json`.</summary>
public sealed class Qcow2ImageQemuMapTests
{
    /// <summary>Images whose whole chain is qcow2 (or none), where qemu's "present" flag maps to our Unallocated exactly.</summary>
    private static readonly HashSet<string> QcowOnlyChains =
    [
        "v2.qcow2", "v3.qcow2", "v2-c4096.qcow2", "v3-c512.qcow2", "v3-c4096.qcow2", "v3-c65536.qcow2", "v3-c2097152.qcow2",
        "zlib.qcow2", "zlib-v2.qcow2", "zstd.qcow2", "zstd-c4096.qcow2", "l2ext-c65536.qcow2", "l2ext-c131072.qcow2",
        "zero.qcow2", "zero-empty.qcow2", "snap.qcow2", "snap-v2.qcow2", "mbr.qcow2", "gpt.qcow2",
    ];

    [Theory]
    [MemberData(nameof(DiskFixtures.Qcow2Data), MemberType = typeof(DiskFixtures))]
    public void Extents_agree_with_qemu_img_map(string name)
    {
        string path = DiskFixtures.Path(name);
        var qemu = QemuMap(path);
        using var image = DiskImage.Open(path);
        var ours = image.GetExtents(0, image.Length).ToList();

        // Exact cover, ordered, maximal.
        Assert.Equal(0, ours[0].Offset);
        Assert.Equal(image.Length, ours[^1].End);
        for (int i = 1; i < ours.Count; i++)
        {
            Assert.Equal(ours[i - 1].End, ours[i].Offset);
            Assert.NotEqual(ours[i - 1].Kind, ours[i].Kind);
        }

        // Data (stored somewhere in the chain) is what qemu calls "data": true.
        Assert.Equal(Runs(qemu, q => q.Data), Runs(ours, e => e.Kind == ExtentKind.Data));
        if (QcowOnlyChains.Contains(name))
        {
            // Without raw files in the chain: allocated-as-zero is "present", unallocated is not.
            Assert.Equal(Runs(qemu, q => q.Present && !q.Data), Runs(ours, e => e.Kind == ExtentKind.Zero));
            Assert.Equal(Runs(qemu, q => !q.Present), Runs(ours, e => e.Kind == ExtentKind.Unallocated));
        }
    }

    [Fact]
    public void Zero_clusters_are_reported_as_zero()
    {
        using var image = DiskImage.Open(DiskFixtures.Path("zero.qcow2"));
        Assert.Contains(new DiskExtent(0, 131072, ExtentKind.Zero), image.GetExtents(0, image.Length));
        Assert.Equal([new DiskExtent(0x400000, 0x10000, ExtentKind.Zero)], image.GetExtents(0x400000, 0x10000));
    }

    [Fact]
    public void Extents_of_a_subrange_are_clipped_to_it()
    {
        using var image = DiskImage.Open(DiskFixtures.Path("chain/top.qcow2"));
        var part = image.GetExtents(100_001, 3_000_000).ToList();
        Assert.Equal(100_001, part[0].Offset);
        Assert.Equal(3_100_001, part[^1].End);
    }

    internal readonly record struct QemuExtent(long Start, long Length, bool Data, bool Present);

    internal static List<QemuExtent> QemuMap(string path)
    {
        var json = ExternalCommand.Check("qemu-img", "map", "--output=json", path);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(e => new QemuExtent(
                e.GetProperty("start").GetInt64(),
                e.GetProperty("length").GetInt64(),
                e.GetProperty("data").GetBoolean(),
                e.GetProperty("present").GetBoolean()))
            .ToList();
    }

    private static List<(long, long)> Runs(IEnumerable<QemuExtent> extents, Func<QemuExtent, bool> pick) =>
        Merge(extents.Where(pick).Select(e => (e.Start, e.Start + e.Length)));

    private static List<(long, long)> Runs(IEnumerable<DiskExtent> extents, Func<DiskExtent, bool> pick) =>
        Merge(extents.Where(pick).Select(e => (e.Offset, e.End)));

    private static List<(long, long)> Merge(IEnumerable<(long Start, long End)> ranges)
    {
        var result = new List<(long, long)>();
        foreach (var r in ranges)
        {
            if (result.Count > 0 && result[^1].Item2 == r.Start)
            {
                result[^1] = (result[^1].Item1, r.End);
            }
            else
            {
                result.Add((r.Start, r.End));
            }
        }

        return result;
    }
}
