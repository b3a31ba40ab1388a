using System.Diagnostics;

namespace VmTeleport.Disks.Tests;

/// <summary>Raw images: holes of sparse files are Unallocated, found with SEEK_DATA/SEEK_HOLE.</summary>
public sealed class RawImageSparseTests
{
    [Fact]
    public void A_100_GiB_sparse_file_maps_in_a_few_extents_and_instantly()
    {
        var sw = Stopwatch.StartNew();
        using var image = DiskImage.Open(DiskFixtures.Path("huge-sparse.raw"));
        var extents = image.GetExtents(0, image.Length).ToList();
        sw.Stop();
        Assert.Equal(100L << 30, image.Length);
        long dataAt = 50L * 1024 * 256 * 4096;
        Assert.Equal(
            [
                new DiskExtent(0, dataAt, ExtentKind.Unallocated),
                new DiskExtent(dataAt, 4096, ExtentKind.Data),
                new DiskExtent(dataAt + 4096, image.Length - dataAt - 4096, ExtentKind.Unallocated),
            ],
            extents);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"mapping took {sw.Elapsed}");

        var block = new byte[8192];
        image.ReadAt(dataAt - 4096, block);
        Assert.True(block.AsSpan(0, 4096).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(block.AsSpan(4096).IndexOfAnyExcept((byte)0) >= 0);
    }

    [Fact]
    public void Holes_and_data_of_the_content_file_match_qemu_img_map()
    {
        string path = DiskFixtures.Path("content.raw");
        using var image = DiskImage.Open(path);
        var ours = image.GetExtents(0, image.Length).Where(e => e.Kind == ExtentKind.Data).Select(e => (e.Offset, e.End)).ToList();
        var qemu = Qcow2ImageQemuMapTests.QemuMap(path).Where(e => e.Data).Select(e => (e.Start, e.Start + e.Length)).ToList();
        Assert.Equal(qemu, ours);
        Assert.Contains(image.GetExtents(0, image.Length), e => e.Kind == ExtentKind.Unallocated && e.Offset <= 2 << 20 && e.End >= 4 << 20);
    }

    [Fact]
    public void Reads_past_the_end_are_rejected()
    {
        using var image = DiskImage.Open(DiskFixtures.Path("content.raw"));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.ReadAt(image.Length - 10, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.GetExtents(-1, 10).ToList());
    }

    [Fact]
    public void Reads_the_file_bytes()
    {
        string path = DiskFixtures.Path("content.raw");
        using var image = DiskImage.Open(path);
        var expected = File.ReadAllBytes(path);
        var actual = new byte[expected.Length];
        image.ReadAt(0, actual);
        Assert.True(expected.AsSpan().SequenceEqual(actual));
    }

    [Fact]
    public void A_spec_with_an_at_sign_uses_the_existing_file_whole()
    {
        string dir = DiskFixtures.Scratch();
        try
        {
            string odd = Path.Combine(dir, "disk@2024.raw");
            File.WriteAllBytes(odd, new byte[4096]);
            using var image = DiskImage.Open(odd);
            Assert.Equal(4096, image.Length);
            Assert.Equal((odd, (string?)null), DiskImage.SplitSpec(odd));
            Assert.Equal((Path.Combine(dir, "x.qcow2"), (string?)"1"), DiskImage.SplitSpec(Path.Combine(dir, "x.qcow2@1")));
            Assert.Throws<FileNotFoundException>(() => DiskImage.Open(Path.Combine(dir, "missing.raw")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
