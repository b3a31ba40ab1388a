using System.Text.Json;
using VmTeleport.Guests.Hardware;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `vmteleport pull` against `vmteleport serve`, both as processes, as a user runs them: the result
/// is checked by the kernel's own reading of it, not only by pull's verification.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-pull-").FullName;
    private readonly string _image = Fixtures.Path("demo", "demo.qcow2");

    public PullCommandsTests()
    {
        File.WriteAllText(Token, "pull-token\n");
        File.SetUnixFileMode(Token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private string Token => Path.Combine(_dir, "token");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_pull_is_exact_as_the_kernel_reads_it_deploys_the_source_hardware_and_a_second_pull_fetches_nothing()
    {
        var before = ImageFingerprint.Of(_image);
        var sourceXml = Path.Combine(_dir, "source.xml");
        File.WriteAllText(sourceXml, ExternalCommand.Check("virsh", "-c", "test:///default", "dumpxml", "test"));
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + _image, "--domain-xml", sourceXml);
        var data = Path.Combine(_dir, "dest");
        var output = Path.Combine(_dir, "out", "teleported.qcow2");

        var first = Pull(serve, output, data, "--define", "--connect", "test:///default", "--domain-type", "test");

        Assert.True(first.GetProperty("exact").GetBoolean());
        long bytes = first.GetProperty("bytes").GetInt64();
        Assert.Equal(bytes - first.GetProperty("duplicate_bytes").GetInt64(), first.GetProperty("wire_raw_bytes").GetInt64());
        Assert.True(first.GetProperty("wire_bytes").GetInt64() > 0);
        Assert.True(first.GetProperty("peak_memory_bytes").GetInt64() > 0);
        foreach (var phase in new[] { "fetch_description", "index", "plan", "transfer", "rebuild", "verify", "deploy", "total" })
        {
            Assert.True(first.GetProperty("seconds").TryGetProperty(phase, out _), phase);
        }

        // The kernel reads the same files from both.
        var scratch = Directory.CreateDirectory(Path.Combine(_dir, "scratch")).FullName;
        var want = KernelFiles.Read(_image, null, scratch).ToDictionary(f => f.Path, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(f.Content)));
        var have = KernelFiles.Read(output, null, scratch).ToDictionary(f => f.Path, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(f.Content)));
        Assert.Equal(want.OrderBy(f => f.Key, StringComparer.Ordinal), have.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Contains("\"exact\":true", Cli.Ok("verify", _image, output, "--json").Text, StringComparison.Ordinal);

        // The domain: the source's hardware around the new disk, defined in libvirt's test driver.
        var xml = Path.ChangeExtension(output, ".xml");
        var domain = DomainXml.Parse(File.ReadAllText(xml), xml);
        var source = DomainXml.Parse(File.ReadAllText(sourceXml), sourceXml);
        Assert.Equal("teleported", domain.Name);
        Assert.Equal((source.Vcpus, source.MemoryBytes), (domain.Vcpus, domain.MemoryBytes));
        Assert.Equal(source.Interfaces.Select(i => i.Mac), domain.Interfaces.Select(i => i.Mac));
        Assert.Equal(output, domain.Disks.Single().Source?.File);
        Assert.True(first.GetProperty("defined").GetBoolean());
        Assert.False(File.Exists(output + ".lock"));

        // Again into another output with the same data directory: every chunk is already stored.
        var second = Pull(serve, Path.Combine(_dir, "out", "again.qcow2"), data);
        Assert.True(second.GetProperty("exact").GetBoolean());
        Assert.Equal(0, second.GetProperty("wire_chunks").GetInt32());
        Assert.Equal(bytes - second.GetProperty("duplicate_bytes").GetInt64(), second.GetProperty("local_bytes").GetProperty("chunk_store").GetInt64());
        Assert.Equal(before, ImageFingerprint.Of(_image));
    }

    [Fact]
    public void With_the_source_indexed_locally_nothing_but_metadata_crosses_the_wire_and_a_stale_index_costs_bytes_not_correctness()
    {
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + _image);
        var data = Path.Combine(_dir, "dest");
        var local = Path.Combine(_dir, "local.raw");
        ExternalCommand.Check("qemu-img", "convert", "-O", "raw", _image, local);
        Cli.Ok("index", "add", local, "--data-dir", data);

        var fromLocal = Pull(serve, Path.Combine(_dir, "a.qcow2"), data);
        Assert.True(fromLocal.GetProperty("exact").GetBoolean());
        Assert.Equal(0, fromLocal.GetProperty("wire_chunks").GetInt32());
        Assert.Equal(
            fromLocal.GetProperty("bytes").GetInt64() - fromLocal.GetProperty("duplicate_bytes").GetInt64(),
            fromLocal.GetProperty("local_bytes").GetProperty("image").GetInt64());

        // The local image changes after it was indexed: its filesystem is gone. Every chunk read
        // from it fails its hash and is fetched instead; the result is still exact.
        using (var f = new FileStream(local, FileMode.Open, FileAccess.Write))
        {
            f.Position = 1 << 20;
            f.Write(new byte[4 << 20]);
        }

        var stale = Pull(serve, Path.Combine(_dir, "b.qcow2"), data);
        Assert.True(stale.GetProperty("exact").GetBoolean());
        Assert.True(stale.GetProperty("local_bytes_refetched").GetInt64() > 0);
    }

    [Fact]
    public void A_second_pull_to_the_same_output_an_existing_output_and_a_wrong_token_are_refused_leaving_nothing()
    {
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + _image);
        var output = Path.Combine(_dir, "busy.qcow2");
        using (new FileStream(output + ".lock", FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            var busy = Cli.Run("pull", $"{serve.Address}/demo", "--token-file", Token, "--fingerprint", serve.Fingerprint, "--output", output, "--data-dir", Path.Combine(_dir, "d1"));
            Assert.Equal(6, busy.ExitCode);
            Assert.Contains("another vmteleport is writing it", busy.StdErr, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(output));

        var existing = Path.Combine(_dir, "existing.qcow2");
        File.WriteAllText(existing, "keep me");
        var exists = Cli.Run("pull", $"{serve.Address}/demo", "--token-file", Token, "--fingerprint", serve.Fingerprint, "--output", existing, "--data-dir", Path.Combine(_dir, "d2"));
        Assert.Equal(6, exists.ExitCode);
        Assert.Equal("keep me", File.ReadAllText(existing));

        var wrongToken = Path.Combine(_dir, "wrong-token");
        File.WriteAllText(wrongToken, "not-the-token\n");
        File.SetUnixFileMode(wrongToken, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var refused = Cli.Run("pull", $"{serve.Address}/demo", "--token-file", wrongToken, "--fingerprint", serve.Fingerprint, "--output", output, "--data-dir", Path.Combine(_dir, "d3"));
        Assert.Equal(6, refused.ExitCode);
        Assert.Contains("refused the token", refused.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "busy.qcow2*"));
    }

    [Fact]
    public void A_full_destination_disk_is_a_clear_error_and_leaves_nothing_that_looks_finished()
    {
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + _image);
        var small = Directory.CreateDirectory(Path.Combine(_dir, "small")).FullName;
        ExternalCommand.Check("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small);
        try
        {
            var output = Path.Combine(small, "demo.qcow2");
            var full = Cli.Run("pull", $"{serve.Address}/demo", "--token-file", Token, "--fingerprint", serve.Fingerprint, "--output", output, "--data-dir", Path.Combine(_dir, "d"));
            Assert.Equal(6, full.ExitCode);
            Assert.Contains("No space left on device", full.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
            Assert.DoesNotContain(Directory.GetFileSystemEntries(small), p => !p.EndsWith(".partial", StringComparison.Ordinal));
        }
        finally
        {
            ExternalCommand.Check("umount", small);
        }
    }

    private JsonElement Pull(ServeProcess serve, string output, string data, params string[] more)
    {
        var r = Cli.Run(["pull", $"{serve.Address}/demo", "--token-file", Token, "--fingerprint", serve.Fingerprint, "--output", output, "--data-dir", data, "--json", "--method", "teleport", .. more]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return JsonDocument.Parse(r.Text).RootElement.Clone();
    }
}
