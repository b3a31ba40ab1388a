using System.Net;
using System.Net.Http.Headers;
using VmTeleport.Content.Chunking;
using VmTeleport.Transfer.Agent;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Protocol;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Transfer.Tests;

/// <summary>Wrong token, wrong fingerprint, corrupt chunks, dropped connections: refused, detected, resumed.</summary>
public sealed class TransferFaultsTests
{
    [Fact]
    public async Task A_wrong_token_gets_401_and_no_data()
    {
        await using var served = await TestAgent.StartAsync();
        using (var client = served.Client(token: "not-the-token"))
        {
            var e = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.ManifestAsync("demo"));
            Assert.Contains("refused the token", e.Message, StringComparison.Ordinal);
        }

        // At the HTTP level: 401 with an empty body on every endpoint, and no chunk batch ever reaches the reader.
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler) { BaseAddress = served.Agent.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var auth in new[] { null, "Bearer wrong", "Bearer " + TestAgent.Token + "x", "Basic " + TestAgent.Token })
        {
            foreach (var path in new[] { "v1/vms", "v1/vms/demo/description", "v1/vms/demo/manifest", "v1/vms/demo/image", "v1/probe?bytes=1024" })
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, path) { Version = HttpVersion.Version20 };
                if (auth is not null)
                {
                    get.Headers.TryAddWithoutValidation("Authorization", auth);
                }

                using var r = await http.SendAsync(get);
                Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
                Assert.Empty(await r.Content.ReadAsByteArrayAsync());
            }

            using var post = new HttpRequestMessage(HttpMethod.Post, "v1/vms/demo/chunks") { Version = HttpVersion.Version20, Content = new ByteArrayContent(new byte[32]) };
            if (auth is not null)
            {
                post.Headers.TryAddWithoutValidation("Authorization", auth);
            }

            using var pr = await http.SendAsync(post);
            Assert.Equal(HttpStatusCode.Unauthorized, pr.StatusCode);
            Assert.Empty(await pr.Content.ReadAsByteArrayAsync());
        }

        Assert.Empty(served.RequestedIds);

        // The right token on the same raw client works, so the 401s above were about the token.
        using var ok = new HttpRequestMessage(HttpMethod.Get, "v1/vms") { Version = HttpVersion.Version20 };
        ok.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestAgent.Token);
        using var okr = await http.SendAsync(ok);
        Assert.Equal(HttpStatusCode.OK, okr.StatusCode);
    }

    [Fact]
    public async Task A_wrong_fingerprint_is_refused_before_any_request_reaches_the_agent()
    {
        await using var served = await TestAgent.StartAsync();
        var otherDir = Path.Combine(served.Directory, "other");
        var other = CertificateFingerprint.Of(AgentCertificate.LoadOrCreate(otherDir));
        Assert.NotEqual(served.Agent.Fingerprint, other);
        using var client = new AgentClient(served.Agent.Address, TestAgent.Token, other);
        var e = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.ListAsync());
        Assert.Contains(served.Agent.Fingerprint.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(other.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Empty(served.Requests);
    }

    [Fact]
    public async Task The_certificate_is_kept_so_the_fingerprint_stays_the_same()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vmt-cert-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = CertificateFingerprint.Of(AgentCertificate.LoadOrCreate(dir));
            Assert.Equal(first, CertificateFingerprint.Of(AgentCertificate.LoadOrCreate(dir)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, AgentCertificate.FileName)));
            Assert.Equal(first, CertificateFingerprint.Parse(first.ToString()));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_chunk_corrupted_once_is_detected_and_fetched_again_and_never_stored_damaged()
    {
        var corrupted = new List<ChunkId>();
        await using var served = await TestAgent.StartAsync(serving: (_, id, data) =>
        {
            lock (corrupted)
            {
                if (corrupted.Count == 0)
                {
                    corrupted.Add(id);
                    var bad = (byte[])data.Clone();
                    bad[bad.Length / 2] ^= 0x40;
                    return bad;
                }
            }

            return data;
        });
        using var client = served.Client();
        var manifest = await client.ManifestAsync("demo");
        var store = new DirectoryChunkStore(served.StoreDir);
        var distinct = manifest.DistinctChunks();
        var result = await client.FetchChunksAsync(manifest, distinct, store);

        Assert.Equal(1, result.Corrupt);
        Assert.Equal(distinct.Count, result.Fetched);
        Assert.Equal(distinct.Count + 1, result.RequestedIds);
        Assert.Equal(2, served.RequestedIds.Count(id => id == corrupted[0]));
        foreach (var id in store.Enumerate())
        {
            Assert.True(store.TryRead(id, out _), $"chunk {id} in the store does not hash to its name");
        }

        Assert.Equal(distinct.Count, store.Enumerate().Count());
    }

    [Fact]
    public async Task A_chunk_always_corrupt_fails_naming_it_after_bounded_attempts()
    {
        ChunkId? victim = null;
        await using var served = await TestAgent.StartAsync(serving: (_, id, data) =>
        {
            lock (data)
            {
                victim ??= id;
            }

            if (id != victim)
            {
                return data;
            }

            var bad = (byte[])data.Clone();
            bad[0] ^= 1;
            return bad;
        });
        using var client = served.Client(options: new AgentClientOptions { MaxAttempts = 3, Parallelism = 1 });
        var manifest = await client.ManifestAsync("demo");
        var store = new DirectoryChunkStore(served.StoreDir);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => client.FetchChunksAsync(manifest, manifest.DistinctChunks(), store));
        Assert.Contains(victim!.Value.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("3 times", e.Message, StringComparison.Ordinal);
        Assert.False(store.Contains(victim.Value));
        Assert.Equal(3, served.RequestedIds.Count(id => id == victim));
    }

    [Fact]
    public async Task A_connection_dropped_mid_transfer_then_a_rerun_fetches_nothing_twice()
    {
        int served1 = 0;
        bool drop = true;
        await using var served = await TestAgent.StartAsync(frameBytes: 16 << 10, serving: (_, _, data) =>
        {
            if (drop && Interlocked.Increment(ref served1) > 40)
            {
                throw new IOException("test: the connection drops here");
            }

            return data;
        });
        using var store = new PackChunkStore(served.StoreDir);
        RemoteManifest manifest;
        using (var first = served.Client(options: new AgentClientOptions { MaxAttempts = 1, BatchBytes = 256 << 10, Parallelism = 2 }))
        {
            manifest = await first.ManifestAsync("demo");
            await Assert.ThrowsAsync<IOException>(() => first.FetchChunksAsync(manifest, manifest.DistinctChunks(), store));
        }

        var afterDrop = store.Enumerate().ToHashSet();
        Assert.NotEmpty(afterDrop);
        Assert.True(afterDrop.Count < manifest.DistinctChunks().Count, "the drop should leave chunks to fetch");
        var requestedBefore = served.RequestedIds.Count;

        drop = false;
        using var second = served.Client();
        var result = await second.FetchChunksAsync(manifest, manifest.DistinctChunks(), store);
        var rerunIds = served.RequestedIds.Skip(requestedBefore).ToList();
        Assert.DoesNotContain(rerunIds, afterDrop.Contains);
        Assert.Equal(rerunIds.Count, rerunIds.Distinct().Count());
        Assert.Equal(afterDrop.Count, result.AlreadyStored);
        Assert.Equal(manifest.DistinctChunks().Count - afterDrop.Count, result.Fetched);
        Assert.Equal(manifest.DistinctChunks().Select(c => c.Id).ToHashSet(), store.Enumerate().ToHashSet());
    }

    [Fact]
    public async Task An_image_changed_after_its_manifest_was_fetched_is_refused_with_409_and_nothing_stored()
    {
        var copy = Path.Combine(Path.GetTempPath(), "vmt-changing-" + Guid.NewGuid().ToString("N") + ".qcow2");
        File.Copy(TestAgent.DemoImage, copy);
        try
        {
            await using var served = await TestAgent.StartAsync(image: copy);
            using var client = served.Client();
            var manifest = await client.ManifestAsync("demo");
            File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(copy).AddSeconds(5));
            var store = new DirectoryChunkStore(served.StoreDir);
            var e = await Assert.ThrowsAsync<AgentStateException>(() => client.FetchChunksAsync(manifest, manifest.DistinctChunks(), store));
            Assert.Contains("changed since the manifest", e.Message, StringComparison.Ordinal);
            Assert.Empty(store.Enumerate());

            // The manifest fetched again names the new state, and its chunks come.
            var fresh = await client.ManifestAsync("demo");
            Assert.NotEqual(manifest.ImageState, fresh.ImageState);
            var result = await client.FetchChunksAsync(fresh, fresh.DistinctChunks(), store);
            Assert.Equal(fresh.DistinctChunks().Count, result.Fetched);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void A_token_file_readable_by_others_or_empty_is_refused()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  secret\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.True(BearerToken.FromFile(file).Matches("Bearer secret"));
            Assert.False(BearerToken.FromFile(file).Matches("Bearer secre"));
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Contains("chmod 600", Assert.Throws<UnauthorizedAccessException>(() => BearerToken.FromFile(file)).Message, StringComparison.Ordinal);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(file, " \n");
            Assert.Throws<InvalidDataException>(() => BearerToken.FromFile(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
