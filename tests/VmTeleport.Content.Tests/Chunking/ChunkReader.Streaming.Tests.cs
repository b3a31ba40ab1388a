using VmTeleport.Content.Chunking;
using VmTeleport.Content.Tests.Support;

namespace VmTeleport.Content.Tests.Chunking;

public sealed class ChunkReaderStreamingTests
{
    public static TheoryData<int, int, int> Options => new()
    {
        { 4096, 16384, 65536 },
        { 256, 1024, 4096 },
        { 64, 64, 64 },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Tiny_reads_give_the_span_boundaries_and_ids(int min, int avg, int max)
    {
        var cdc = new FastCdc(new ChunkerOptions(min, avg, max));
        var data = TestBytes.Golden().AsSpan(0, 700_000).ToArray();
        var expected = TestBytes.Boundaries(cdc, data)
            .Select(b => new Chunk(b.Offset, b.Length, ChunkHasher.Default.Hash(data.AsSpan(b.Offset, b.Length))))
            .ToList();

        var trickle = new TrickleStream(data);
        var actual = ChunkReader.Split(trickle, cdc, ChunkHasher.Default).ToList();

        Assert.Equal(expected, actual);
        Assert.True(trickle.Reads > data.Length / 7, "the stream really was read in tiny pieces");
    }

    [Fact]
    public void Chunk_bytes_are_the_input_bytes_at_the_chunk_offset()
    {
        var data = TestBytes.Text(1, 300_000);
        var reader = new ChunkReader(new TrickleStream(data), new FastCdc(new ChunkerOptions(256, 1024, 4096)),
            new Sha256ChunkHasher());
        long total = 0;
        while (reader.TryReadNext(out var chunk, out var bytes))
        {
            Assert.Equal(chunk.Offset, total);
            Assert.True(bytes.SequenceEqual(data.AsSpan((int)chunk.Offset, chunk.Length)));
            total += chunk.Length;
        }

        Assert.Equal(data.Length, total);
        Assert.False(reader.TryReadNext(out _, out _));
    }
}
