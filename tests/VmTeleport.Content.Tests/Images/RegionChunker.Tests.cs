using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Content.Tests.Support;
using VmTeleport.Disks;

namespace VmTeleport.Content.Tests.Images;

/// <summary>Raw regions: exactly the allocated, non-zero 4 KiB blocks, chunked as FastCDC would chunk their bytes alone.</summary>
public sealed class RegionChunkerTests
{
    private static readonly FastCdc Cdc = new(ChunkerOptions.Default);

    [Fact]
    public void Regions_are_the_non_zero_blocks_of_data_extents_and_zero_extents_are_never_read()
    {
        var disk = new byte[1 << 20];
        TestBytes.SplitMix(1, 4096).CopyTo(disk, 0);              // [0, 4K): boot code
        TestBytes.SplitMix(2, 200_000).CopyTo(disk, 12 * 1024);    // [12K, 12K+200000): ends inside a block
        disk[512 * 1024 + 100] = 7;                                // one byte in a lone block
        TestBytes.SplitMix(3, 64 * 1024).CopyTo(disk, 640 * 1024); // inside a Zero extent: must not be read
        var extents = new List<DiskExtent>
        {
            new(0, 600 * 1024, ExtentKind.Data),
            new(600 * 1024, 128 * 1024, ExtentKind.Zero),
            new(728 * 1024, (1 << 20) - 728 * 1024, ExtentKind.Unallocated),
        };
        var source = new ExtentBlockSource(disk, extents);

        var regions = new RegionChunker(source).Regions(0, disk.Length, _ => (null, "test")).ToList();

        long secondEnd = (12 * 1024 + 200_000 + 4095) / 4096 * 4096;
        Assert.Equal(
            [(0L, 4096L), (12 * 1024L, secondEnd - 12 * 1024), (512 * 1024L, 4096L)],
            regions.Select(r => (r.DiskOffset!.Value, r.Size)).ToList());
        Assert.Equal(600 * 1024, source.BytesRead);
        foreach (var r in regions)
        {
            var bytes = disk.AsSpan((int)r.DiskOffset!.Value, (int)r.Size).ToArray();
            var expected = TestBytes.Boundaries(Cdc, bytes).Select(b => new ChunkSpan(ChunkHasher.Default.Hash(bytes.AsSpan(b.Offset, b.Length)), b.Length)).ToList();
            Assert.Equal(expected, r.Chunks);
            Assert.Equal(ContentItemKind.Region, r.Kind);
        }
    }

    [Fact]
    public void A_region_longer_than_the_cap_is_cut_at_the_cap()
    {
        var size = (int)RegionChunker.MaxRegionSize + 3 * 4096;
        var disk = TestBytes.SplitMix(9, size);
        var regions = new RegionChunker(new MemoryBlockSource(disk)).Regions(0, size, _ => (null, "test")).ToList();
        Assert.Equal([(0L, RegionChunker.MaxRegionSize), (RegionChunker.MaxRegionSize, 3 * 4096L)],
            regions.Select(r => (r.DiskOffset!.Value, r.Size)).ToList());
        Assert.All(regions, r => Assert.Equal(r.Size, r.Chunks.Sum(c => (long)c.Length)));
    }
}
