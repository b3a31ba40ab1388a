using System.Security.Cryptography;
using VmTeleport.FileSystems;

namespace VmTeleport.FileSystems.Tests;

public sealed class HashedWalkOrderTests
{
    private static Dictionary<string, byte[]> Files(int count)
    {
        var random = new Random(42);
        return Enumerable.Range(0, count).ToDictionary(
            i => $"/f{i:D4}",
            i =>
            {
                // Sizes vary so that parallel hashes finish out of order.
                var data = new byte[random.Next(0, 3 << 20)];
                random.NextBytes(data);
                return data;
            });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Yields_walk_order_with_correct_hashes(int parallelism)
    {
        var files = Files(60);
        using var fs = new InMemoryFileSystem(files);
        var result = HashedWalk.Run(fs, parallelism).ToList();
        Assert.Equal(fs.Walk().Select(e => e.Path), result.Select(r => r.Entry.Path));
        Assert.Null(result[0].Sha256);
        foreach (var (entry, sha) in result.Skip(1))
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[entry.Path])), sha);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_failing_file_surfaces_its_own_exception(int parallelism)
    {
        using var fs = new InMemoryFileSystem(Files(20), failingPath: "/f0011");
        var e = Assert.Throws<InvalidDataException>(() => HashedWalk.Run(fs, parallelism).ToList());
        Assert.Contains("/f0011", e.Message);
    }

    [Fact]
    public void Stopping_early_does_not_hang()
    {
        using var fs = new InMemoryFileSystem(Files(200));
        Assert.Equal(5, HashedWalk.Run(fs, 4).Take(5).Count());
    }
}
