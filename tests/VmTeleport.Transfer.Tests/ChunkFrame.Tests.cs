using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Transfer.Tests;

/// <summary>The frame format read back, and every way a response can be cut or damaged refused by name.</summary>
public sealed class ChunkFrameTests
{
    private static (byte[] Stream, List<(ChunkId Id, int Length)> Chunks, byte[] Raw) Sample(ChunkCodec codec)
    {
        var random = new Random(7);
        var raw = new byte[10_000];
        random.NextBytes(raw.AsSpan(0, 6000));
        var chunks = new List<(ChunkId, int)>
        {
            (ChunkHasher.Default.Hash(raw.AsSpan(0, 4000)), 4000),
            (ChunkHasher.Default.Hash(raw.AsSpan(4000, 6000)), 6000),
        };
        var stream = new MemoryStream();
        stream.Write(ChunkFrame.Encode(codec, chunks, raw));
        stream.Write(ChunkFrame.End);
        return (stream.ToArray(), chunks, raw);
    }

    [Theory]
    [InlineData(ChunkCodec.Zstd)]
    [InlineData(ChunkCodec.Brotli)]
    [InlineData(ChunkCodec.None)]
    public async Task A_frame_reads_back_as_written_then_the_end_marker(ChunkCodec codec)
    {
        var (bytes, chunks, raw) = Sample(codec);
        using var stream = new MemoryStream(bytes);
        var frame = await ChunkFrame.ReadAsync(stream, codec, "test", default);
        Assert.NotNull(frame);
        Assert.Equal(chunks.Select(c => c.Id), frame.Ids);
        Assert.Equal(raw.AsSpan(0, 4000).ToArray(), frame.Chunk(0).ToArray());
        Assert.Equal(raw.AsSpan(4000).ToArray(), frame.Chunk(1).ToArray());
        Assert.Null(await ChunkFrame.ReadAsync(stream, codec, "test", default));
    }

    [Fact]
    public async Task Every_truncation_before_the_end_marker_is_refused()
    {
        var (bytes, _, _) = Sample(ChunkCodec.Zstd);
        for (int cut = 0; cut < bytes.Length; cut += 97)
        {
            using var stream = new MemoryStream(bytes, 0, cut);
            var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            {
                while (await ChunkFrame.ReadAsync(stream, ChunkCodec.Zstd, "batch 3", default) is not null)
                {
                }
            });
            Assert.Contains("batch 3", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_payload_that_does_not_decompress_to_the_announced_lengths_is_refused()
    {
        var (bytes, _, _) = Sample(ChunkCodec.Zstd);
        bytes[4 + 36 + 32] ^= 0x01; // the second chunk's length, now 6001
        using var stream = new MemoryStream(bytes);
        await Assert.ThrowsAsync<InvalidDataException>(() => ChunkFrame.ReadAsync(stream, ChunkCodec.Zstd, "test", default));
    }

    [Fact]
    public void A_manifest_line_round_trips_files_and_regions()
    {
        var id = ChunkHasher.Default.Hash("abc"u8);
        var file = new ContentItem { Kind = ContentItemKind.File, Volume = 1, Path = "/a \"b\"\n", GuestPath = null, Size = 3, Sha256 = new byte[32], Chunks = [new ChunkSpan(id, 3)] };
        var region = new ContentItem { Kind = ContentItemKind.Region, Volume = null, DiskOffset = 512, Label = "before the first partition", Size = 3, Chunks = [new ChunkSpan(id, 3)] };
        foreach (var item in new[] { file, region })
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            ManifestLines.Write(buffer, item);
            Assert.Equal((byte)'\n', buffer.WrittenSpan[^1]);
            var back = ManifestLines.Parse(buffer.WrittenSpan[..^1], "line 1");
            Assert.Equal(item.Kind, back.Kind);
            Assert.Equal(item.Volume, back.Volume);
            Assert.Equal(item.Path, back.Path);
            Assert.Equal(item.GuestPath, back.GuestPath);
            Assert.Equal(item.DiskOffset, back.DiskOffset);
            Assert.Equal(item.Label, back.Label);
            Assert.Equal(item.Sha256, back.Sha256);
            Assert.Equal(item.Chunks, back.Chunks);
        }

        var e = Assert.Throws<InvalidDataException>(() => ManifestLines.Parse("{\"kind\":\"file\",\"size\":4,\"chunks\":[[\"00\",4]]}"u8, "manifest of demo, line 9"));
        Assert.Contains("line 9", e.Message, StringComparison.Ordinal);
    }
}
