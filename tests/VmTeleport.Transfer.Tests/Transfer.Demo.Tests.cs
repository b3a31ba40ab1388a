using System.Security.Cryptography;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Disks;
using VmTeleport.TestSupport;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Transfer.Tests;

/// <summary>The demo image served in process and fetched whole: every byte verified against the image itself.</summary>
public sealed class TransferDemoTests
{
    [Fact]
    public async Task Fetching_every_chunk_fills_the_store_with_exactly_the_manifests_chunks_and_rebuilds_every_file()
    {
        var before = ImageFingerprint.Of(TestAgent.DemoImage);
        await using var served = await TestAgent.StartAsync();
        using var client = served.Client();

        var vms = await client.ListAsync();
        Assert.Equal("demo", Assert.Single(vms).Name);
        Assert.Contains("\"os\"", await client.DescriptionAsync("demo"), StringComparison.Ordinal);

        var manifest = await client.ManifestAsync("demo");
        // The manifest is the image's own walk, item for item.
        using (var disk = DiskImage.Open(TestAgent.DemoImage))
        {
            var local = ImageContent.Walk(disk, 2).ToList();
            Assert.Equal(local.Count, manifest.Items.Count);
            for (int i = 0; i < local.Count; i++)
            {
                Assert.Equal(local[i].Path, manifest.Items[i].Path);
                Assert.Equal(local[i].DiskOffset, manifest.Items[i].DiskOffset);
                Assert.Equal(local[i].Sha256, manifest.Items[i].Sha256);
                Assert.Equal(local[i].Chunks, manifest.Items[i].Chunks);
            }
        }

        var store = new DirectoryChunkStore(served.StoreDir);
        var distinct = manifest.DistinctChunks();
        var result = await client.FetchChunksAsync(manifest, distinct, store);

        Assert.True(distinct.Count > 10, $"the demo image should have more than 10 chunks, has {distinct.Count}");
        Assert.Equal(distinct.Count, result.Fetched);
        Assert.Equal(0, result.AlreadyStored);
        Assert.Equal(distinct.Count, result.RequestedIds);
        Assert.Equal(distinct.Sum(c => (long)c.Length), result.RawBytes);
        Assert.True(client.WireBytesReceived > result.PayloadBytes, "socket bytes include TLS and HTTP/2 framing around the payload");

        // The store holds exactly the manifest's distinct chunks, each re-hashing to its name.
        var stored = store.Enumerate().ToHashSet();
        Assert.Equal(distinct.Select(c => c.Id).ToHashSet(), stored);
        foreach (var id in stored)
        {
            Assert.Equal(id, ChunkHasher.Default.Hash(File.ReadAllBytes(store.PathOf(id))));
        }

        // Every file reassembles from the store to the SHA-256 the manifest states.
        foreach (var item in manifest.Items.Where(i => i.Kind == ContentItemKind.File))
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var c in item.Chunks)
            {
                Assert.True(store.TryRead(c.Id, out var data));
                sha.AppendData(data);
            }

            Assert.Equal(Convert.ToHexString(item.Sha256!), Convert.ToHexString(sha.GetHashAndReset()));
        }

        // A second fetch asks for nothing.
        var again = await client.FetchChunksAsync(manifest, distinct, store);
        Assert.Equal(0, again.Fetched);
        Assert.Equal(0, again.RequestedIds);
        Assert.Equal(distinct.Count, served.RequestedIds.Count);

        Assert.Equal(before, ImageFingerprint.Of(TestAgent.DemoImage));
    }

    [Theory]
    [InlineData(Protocol.ChunkCodec.Brotli)]
    [InlineData(Protocol.ChunkCodec.None)]
    public async Task Every_codec_delivers_the_same_chunks(Protocol.ChunkCodec codec)
    {
        await using var served = await TestAgent.StartAsync();
        using var client = served.Client(options: new Client.AgentClientOptions { Codec = codec });
        var manifest = await client.ManifestAsync("demo");
        using var store = new PackChunkStore(served.StoreDir);
        var result = await client.FetchChunksAsync(manifest, manifest.DistinctChunks(), store);
        Assert.Equal(manifest.DistinctChunks().Count, result.Fetched);
        Assert.Equal(manifest.DistinctChunks().Select(c => c.Id).ToHashSet(), store.Enumerate().ToHashSet());
    }
}
