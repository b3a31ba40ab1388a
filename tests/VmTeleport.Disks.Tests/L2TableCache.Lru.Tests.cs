using VmTeleport.Disks.Qcow2;

namespace VmTeleport.Disks.Tests;

/// <summary>The L2 cache keeps the most recently used tables within its byte budget.</summary>
public sealed class L2TableCacheLruTests
{
    [Fact]
    public void Evicts_the_least_recently_used_table()
    {
        var cache = new L2TableCache(2L << 20); // 2 MiB tables: budget 4 MiB = 2 tables
        Assert.Equal(2, cache.Capacity);
        cache.Add(1, [1]);
        cache.Add(2, [2]);
        Assert.True(cache.TryGet(1, out _)); // 1 is now the most recent
        cache.Add(3, [3]);
        Assert.True(cache.TryGet(1, out var one));
        Assert.Equal([1UL], one);
        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(3, out _));
    }

    [Fact]
    public void A_table_added_twice_is_kept_once()
    {
        var cache = new L2TableCache(2L << 20);
        cache.Add(1, [1]);
        cache.Add(1, [1]);
        cache.Add(2, [2]);
        Assert.True(cache.TryGet(1, out _));
        Assert.True(cache.TryGet(2, out _));
    }

    [Fact]
    public void Small_clusters_are_capped_at_1024_tables()
    {
        Assert.Equal(1024, new L2TableCache(512).Capacity);
        Assert.Equal(64, new L2TableCache(65536).Capacity);
    }
}
