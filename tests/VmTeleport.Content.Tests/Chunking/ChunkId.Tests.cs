using System.Text;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Content.Tests.Chunking;

public sealed class ChunkIdTests
{
    [Fact]
    public void Hashers_give_the_published_test_vectors()
    {
        var abc = Encoding.ASCII.GetBytes("abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            new Sha256ChunkHasher().Hash(abc).ToString());
        Assert.Equal("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
            new Blake3ChunkHasher().Hash(abc).ToString());
        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
            new Blake3ChunkHasher().Hash([]).ToString());
        Assert.Equal("sha256", ChunkHasher.Default.Name);
    }

    [Fact]
    public void Hex_round_trips_and_equality_follows_the_bytes()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray();
        var id = new ChunkId(bytes);
        var parsed = ChunkId.Parse(id.ToString());
        Assert.Equal(id, parsed);
        Assert.True(id == parsed);
        Assert.Equal(id.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(bytes, id.ToArray());
        Assert.Equal(id, ChunkId.Parse(id.ToString().ToUpperInvariant()));

        bytes[31] ^= 1;
        var other = new ChunkId(bytes);
        Assert.NotEqual(id, other);
        Assert.True(id != other);
        Assert.True(id < other);
        Assert.NotEqual(default, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    public void Bad_hex_is_refused(string hex)
    {
        Assert.False(ChunkId.TryParse(hex, out _));
        Assert.Throws<FormatException>(() => ChunkId.Parse(hex));
    }

    [Fact]
    public void Wrong_length_bytes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ChunkId(new byte[31]));
    }
}
