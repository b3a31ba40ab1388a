using VmTeleport.Disks.Qcow2;

namespace VmTeleport.Disks.Tests;

/// <summary>One image read from many threads at once gives the same bytes; the L2 cache stays bounded.</summary>
public sealed class Qcow2ImageConcurrencyTests
{
    [Theory]
    [InlineData("zstd-c4096.qcow2")]
    [InlineData("zlib.qcow2")]
    [InlineData("l2ext-overlay.qcow2")]
    [InlineData("chain/top.qcow2")]
    public void Parallel_random_reads_match_serial_reads(string name)
    {
        using var image = DiskImage.Open(DiskFixtures.Path(name));
        var whole = new byte[image.Length];
        image.ReadAt(0, whole);
        using var shared = DiskImage.Open(DiskFixtures.Path(name));
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var rng = new Random(i);
            long offset = rng.NextInt64(shared.Length);
            int count = (int)Math.Min(rng.Next(1, 200_000), shared.Length - offset);
            var buffer = new byte[count];
            shared.ReadAt(offset, buffer);
            Assert.True(buffer.AsSpan().SequenceEqual(whole.AsSpan((int)offset, count)), $"0x{count:x} bytes at 0x{offset:x}");
        });
    }

    [Theory]
    [InlineData("v3-c512.qcow2", 1024)]
    [InlineData("v3-c65536.qcow2", 64)]
    [InlineData("v3-c2097152.qcow2", 2)]
    public void L2_cache_capacity_follows_the_4_MiB_budget(string name, int capacity)
    {
        using var image = (Qcow2Image)DiskImage.Open(DiskFixtures.Path(name));
        Assert.Equal(capacity, image.L2CacheCapacity);
    }
}
