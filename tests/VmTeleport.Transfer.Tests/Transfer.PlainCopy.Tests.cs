using VmTeleport.TestSupport;
using VmTeleport.Transfer.Client;
using ZstdSharp;

namespace VmTeleport.Transfer.Tests;

/// <summary>The plain-copy endpoints in process: the image file as it is, from any offset, and the link probe.</summary>
public sealed class TransferPlainCopyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-plain-copy-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task The_image_streams_as_it_is_on_disk_from_any_offset_compressed_or_not_and_the_description_estimates_it()
    {
        await using var served = await TestAgent.StartAsync();
        using var client = served.Client();
        var file = File.ReadAllBytes(TestAgent.DemoImage);

        var (_, offer) = await client.DescribeAsync("demo");
        Assert.NotNull(offer);
        Assert.True(offer.Possible);
        Assert.Equal(file.Length, offer.FileBytes);
        Assert.Equal("qcow2", offer.Format);
        using (var compressor = new Compressor(1))
        {
            // The demo file is small enough to be estimated whole, in 1 MiB pieces: within 10 % of one stream.
            long actual = compressor.Wrap(file).Length;
            Assert.InRange(offer.EstimatedZstdBytes, actual * 0.9, actual * 1.1);
        }

        var manifest = await client.ManifestAsync("demo");
        using (var whole = new MemoryStream())
        {
            Assert.Equal(file.Length, await client.CopyImageAsync(manifest, 0, 1, whole));
            Assert.Equal(file, whole.ToArray());
        }

        using (var tail = new MemoryStream())
        {
            Assert.Equal(file.Length - 1_000_000, await client.CopyImageAsync(manifest, 1_000_000, 0, tail));
            Assert.Equal(file.AsSpan(1_000_000).ToArray(), tail.ToArray());
        }

        using (var nothing = new MemoryStream())
        {
            Assert.Equal(0, await client.CopyImageAsync(manifest, file.Length, 3, nothing));
        }

        // Another image state than the one named is refused before a byte is sent.
        var e = await Assert.ThrowsAsync<AgentStateException>(() => client.CopyImageAsync(manifest with { ImageState = "1-2" }, 0, 1, Stream.Null));
        Assert.Contains("changed since the manifest was fetched", e.Message, StringComparison.Ordinal);
        var past = await Assert.ThrowsAsync<IOException>(() => client.CopyImageAsync(manifest, file.Length + 1, 1, Stream.Null));
        Assert.Contains("past the end", past.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_changes_mid_stream_cuts_the_copy_short_and_the_next_request_gets_409()
    {
        var image = Path.Combine(_dir, "demo.qcow2");
        File.Copy(TestAgent.DemoImage, image);
        await using var served = await TestAgent.StartAsync(image: image);
        using var client = served.Client();
        var manifest = await client.ManifestAsync("demo");

        // The destination touches the image as soon as the first bytes arrive (uncompressed, so
        // the agent is still reading the first MiB): the agent sees a new state at its next check.
        using var destination = new TouchingStream(image);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => client.CopyImageAsync(manifest, 0, 0, destination));
        Assert.IsNotType<AgentStateException>(e);
        Assert.True(destination.Length < new FileInfo(image).Length, "the copy must not look whole");
        await Assert.ThrowsAsync<AgentStateException>(() => client.CopyImageAsync(manifest, destination.Length, 0, Stream.Null));
    }

    [Fact]
    public async Task A_backing_file_refuses_the_plain_copy_with_422_and_the_probe_sends_what_was_asked()
    {
        var overlay = Path.Combine(_dir, "overlay.qcow2");
        ExternalCommand.Check("qemu-img", "create", "-q", "-f", "qcow2", "-b", TestAgent.DemoImage, "-F", "qcow2", overlay);
        await using var served = await TestAgent.StartAsync(image: overlay);
        using var client = served.Client();

        var (_, offer) = await client.DescribeAsync("demo");
        Assert.False(offer!.Possible);
        Assert.StartsWith("plain copy needs a standalone image: demo has a backing file", offer.Refusal, StringComparison.Ordinal);
        var manifest = await client.ManifestAsync("demo");
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => client.CopyImageAsync(manifest, 0, 1, Stream.Null));
        Assert.Contains("plain copy needs a standalone image: demo has a backing file", e.Message, StringComparison.Ordinal);

        var probe = await client.ProbeAsync(1 << 20, TimeSpan.FromSeconds(10), 256 << 10);
        Assert.Equal(1 << 20, probe.Bytes);
        Assert.True(probe.BytesPerSecond > 0);
        var tooBig = await Assert.ThrowsAsync<IOException>(() => client.ProbeAsync((64L << 20) + 1, TimeSpan.FromSeconds(1), 0));
        Assert.Contains("agent answered 400", tooBig.Message, StringComparison.Ordinal);
    }

    /// <summary>A memory stream that changes the image's mtime on its first write.</summary>
    private sealed class TouchingStream(string image) : MemoryStream
    {
        private bool _touched;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_touched)
            {
                _touched = true;
                File.SetLastWriteTimeUtc(image, DateTime.UtcNow.AddMinutes(1));
            }

            await base.WriteAsync(buffer, cancellationToken);
        }
    }
}
