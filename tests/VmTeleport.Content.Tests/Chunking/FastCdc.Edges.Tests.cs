using VmTeleport.Content.Chunking;
using VmTeleport.Content.Tests.Support;

namespace VmTeleport.Content.Tests.Chunking;

public sealed class FastCdcEdgesTests
{
    private static readonly FastCdc Cdc = new(ChunkerOptions.Default);
    private static readonly ChunkerOptions O = ChunkerOptions.Default;

    [Fact]
    public void Empty_input_is_no_chunk()
    {
        Assert.Equal(0, Cdc.NextBoundary([]));
        Assert.Empty(ChunkReader.Split(new MemoryStream(), Cdc, ChunkHasher.Default));
    }

    [Fact]
    public void Input_up_to_min_size_is_one_chunk()
    {
        Assert.Equal(1, Cdc.NextBoundary(new byte[1]));
        Assert.Equal(O.MinSize - 1, Cdc.NextBoundary(TestBytes.SplitMix(1, O.MinSize - 1)));
        Assert.Equal(O.MinSize, Cdc.NextBoundary(TestBytes.SplitMix(1, O.MinSize)));
        var chunks = ChunkReader.Split(new MemoryStream(TestBytes.SplitMix(2, 100)), Cdc, ChunkHasher.Default).ToList();
        Assert.Equal(new Chunk(0, 100, ChunkHasher.Default.Hash(TestBytes.SplitMix(2, 100))), Assert.Single(chunks));
    }

    [Fact]
    public void All_zero_input_is_cut_at_max_size()
    {
        // A zero byte's gear value is fixed, so the hash settles and never matches: only MaxSize cuts.
        var data = new byte[O.MaxSize * 5 + 123];
        var boundaries = TestBytes.Boundaries(Cdc, data);
        Assert.Equal(6, boundaries.Count);
        Assert.All(boundaries.Take(5), b => Assert.Equal(O.MaxSize, b.Length));
        Assert.Equal(123, boundaries[5].Length);
    }

    [Fact]
    public void Exactly_max_size_input_is_never_longer_than_max_and_covers_the_input()
    {
        var data = new byte[O.MaxSize];
        Assert.Equal(O.MaxSize, Cdc.NextBoundary(data));
        var random = TestBytes.SplitMix(11, O.MaxSize);
        var boundaries = TestBytes.Boundaries(Cdc, random);
        Assert.Equal(O.MaxSize, boundaries.Sum(b => b.Length));
        Assert.True(boundaries.Count > 1, "random data has content cuts before MaxSize");
    }

    [Fact]
    public void Data_longer_than_max_is_cut_no_later_than_max()
    {
        Assert.Equal(O.MaxSize, Cdc.NextBoundary(new byte[O.MaxSize * 3]));
    }

    [Fact]
    public void Chunks_of_random_data_stay_within_bounds_and_average_near_the_target()
    {
        var data = TestBytes.SplitMix(3, 16 << 20);
        var boundaries = TestBytes.Boundaries(Cdc, data);
        Assert.All(boundaries.SkipLast(1), b => Assert.InRange(b.Length, O.MinSize + 1, O.MaxSize));
        var mean = data.Length / (double)boundaries.Count;

        // Normalized chunking centres the sizes a little above the average (min is skipped first).
        Assert.InRange(mean, O.AverageSize * 0.8, O.AverageSize * 1.6);
    }

    [Theory]
    [InlineData(0, 1024, 4096)]
    [InlineData(2048, 1024, 4096)]
    [InlineData(256, 1000, 4096)]
    [InlineData(256, 32, 4096)]
    [InlineData(256, 1024, 512)]
    [InlineData(256, 1024, (64 << 20) + 1)]
    public void Invalid_options_are_rejected(int min, int avg, int max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkerOptions(min, avg, max));
    }
}
