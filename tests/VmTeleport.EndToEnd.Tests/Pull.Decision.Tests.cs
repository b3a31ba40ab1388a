using System.Security.Cryptography;
using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `vmteleport pull`'s choice between teleport and a plain copy of the image file, and the copy
/// itself, with `serve` and `pull` as processes on the demo disk (docs/pull.md, "The decision").
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullDecisionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-decision-").FullName;
    private readonly string _image = Fixtures.Path("demo", "demo.qcow2");

    public PullDecisionTests()
    {
        File.WriteAllText(Token, "decision-token\n");
        File.SetUnixFileMode(Token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private string Token => Path.Combine(_dir, "token");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_forced_copy_is_the_source_file_byte_for_byte_verified_and_deployed_and_an_interrupted_one_resumes()
    {
        var sourceXml = Path.Combine(_dir, "source.xml");
        File.WriteAllText(sourceXml, ExternalCommand.Check("virsh", "-c", "test:///default", "dumpxml", "test"));
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + _image, "--domain-xml", sourceXml);
        var output = Path.Combine(_dir, "out", "copied.qcow2");

        var copy = Pull(serve, output, Path.Combine(_dir, "d1"), "--method", "copy");

        Assert.Equal("copy", copy.GetProperty("method").GetString());
        Assert.True(copy.GetProperty("exact").GetBoolean());
        Assert.Equal(Sha256(_image), Sha256(output));
        var decision = copy.GetProperty("decision");
        Assert.Equal("copy", decision.GetProperty("method").GetString());
        Assert.StartsWith("copy (forced by --method copy)", decision.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(decision.GetProperty("bandwidth_measured").GetBoolean());
        Assert.True(decision.GetProperty("bandwidth_bytes_per_second").GetDouble() > 0);
        Assert.True(decision.GetProperty("estimated_seconds").GetProperty("teleport").GetDouble() > 0);
        Assert.True(decision.GetProperty("estimated_seconds").GetProperty("copy").GetDouble() > 0);
        Assert.Equal(new FileInfo(_image).Length, copy.GetProperty("copy").GetProperty("image_bytes").GetInt64());
        foreach (var phase in new[] { "fetch_description", "probe", "copy", "verify", "deploy", "total" })
        {
            Assert.True(copy.GetProperty("seconds").TryGetProperty(phase, out _), phase);
        }

        Assert.True(File.Exists(Path.ChangeExtension(output, ".xml")));
        Assert.Equal([output, Path.ChangeExtension(output, ".xml")], Directory.GetFiles(Path.GetDirectoryName(output)!).Order(StringComparer.Ordinal));

        // An earlier run stopped after 1 MiB (what it received, and the image state it came from,
        // as the copy leaves them): this run asks only for the rest.
        var resumed = Path.Combine(_dir, "out", "resumed.qcow2");
        var info = new FileInfo(_image);
        File.WriteAllBytes(resumed + ".partial", File.ReadAllBytes(_image).AsSpan(0, 1 << 20).ToArray());
        File.WriteAllText(resumed + ".state.partial", $"{info.Length}-{info.LastWriteTimeUtc.Ticks}\n");
        var rest = Pull(serve, resumed, Path.Combine(_dir, "d2"), "--method", "copy");
        Assert.Equal(1 << 20, rest.GetProperty("copy").GetProperty("resumed_from").GetInt64());
        Assert.Equal(info.Length - (1 << 20), rest.GetProperty("copy").GetProperty("received_bytes").GetInt64());
        Assert.Equal(Sha256(_image), Sha256(resumed));

        // A partial copy of another image state is not resumed: it starts over.
        var stale = Path.Combine(_dir, "out", "stale.qcow2");
        File.WriteAllBytes(stale + ".partial", new byte[1 << 20]);
        File.WriteAllText(stale + ".state.partial", "1-2\n");
        var again = Pull(serve, stale, Path.Combine(_dir, "d3"), "--method", "copy");
        Assert.Equal(0, again.GetProperty("copy").GetProperty("resumed_from").GetInt64());
        Assert.Equal(Sha256(_image), Sha256(stale));
    }

    [Fact]
    public void Auto_copies_on_a_fast_link_with_nothing_local_and_teleports_on_a_slow_one_with_the_source_indexed()
    {
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + _image);

        var fast = Pull(serve, Path.Combine(_dir, "fast.qcow2"), Path.Combine(_dir, "empty"), "--bandwidth", "1GB/s");
        var decision = fast.GetProperty("decision");
        Assert.Equal("copy", decision.GetProperty("method").GetString());
        Assert.Equal("copy", fast.GetProperty("method").GetString());
        Assert.True(fast.GetProperty("exact").GetBoolean());
        Assert.False(decision.GetProperty("bandwidth_measured").GetBoolean());
        Assert.Equal(1e9, decision.GetProperty("bandwidth_bytes_per_second").GetDouble());
        Assert.False(fast.GetProperty("seconds").TryGetProperty("probe", out _));
        var estimates = decision.GetProperty("estimated_seconds");
        Assert.True(estimates.GetProperty("copy").GetDouble() < estimates.GetProperty("teleport").GetDouble(), decision.ToString());
        Assert.Matches(@"^copy — est\. [0-9.]+ s vs teleport [0-9.]+ s at 1000 MB/s \(given\)", decision.GetProperty("reason").GetString());

        var data = Path.Combine(_dir, "dest");
        var local = Path.Combine(_dir, "local.raw");
        ExternalCommand.Check("qemu-img", "convert", "-O", "raw", _image, local);
        Cli.Ok("index", "add", local, "--data-dir", data);
        var slow = Pull(serve, Path.Combine(_dir, "slow.qcow2"), data, "--bandwidth", "100kB/s");
        decision = slow.GetProperty("decision");
        Assert.Equal("teleport", decision.GetProperty("method").GetString());
        Assert.True(slow.GetProperty("exact").GetBoolean());
        Assert.Equal(0, slow.GetProperty("wire_chunks").GetInt32());
        estimates = decision.GetProperty("estimated_seconds");
        Assert.True(estimates.GetProperty("teleport").GetDouble() < estimates.GetProperty("copy").GetDouble(), decision.ToString());
        Assert.Matches(@"^teleport — est\. [0-9.]+ s vs copy [0-9.]+ s at 0\.1 MB/s \(given\)", decision.GetProperty("reason").GetString());
    }

    [Fact]
    public void A_raw_source_is_copied_and_converted_to_the_qcow2_output_and_verified()
    {
        var raw = Path.Combine(_dir, "demo.raw");
        ExternalCommand.Check("qemu-img", "convert", "-O", "raw", _image, raw);
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + raw);
        var output = Path.Combine(_dir, "out", "demo.qcow2");

        var copy = Pull(serve, output, Path.Combine(_dir, "d"), "--method", "copy");

        Assert.True(copy.GetProperty("exact").GetBoolean());
        Assert.Equal("raw", copy.GetProperty("copy").GetProperty("source_format").GetString());
        Assert.True(copy.GetProperty("copy").GetProperty("converted").GetBoolean());
        Assert.True(copy.GetProperty("seconds").TryGetProperty("convert", out _));
        Assert.Contains("file format: qcow2", ExternalCommand.Check("qemu-img", "info", output), StringComparison.Ordinal);
        ExternalCommand.Check("qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, output);
        Assert.Equal([output], Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public void A_source_with_a_backing_file_is_teleported_by_auto_and_a_forced_copy_is_refused_clearly()
    {
        var overlay = Path.Combine(_dir, "overlay.qcow2");
        ExternalCommand.Check("qemu-img", "create", "-q", "-f", "qcow2", "-b", _image, "-F", "qcow2", overlay);
        using var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", "demo=" + overlay);

        // At 1 GB/s a copy would win, were there one.
        var auto = Pull(serve, Path.Combine(_dir, "auto.qcow2"), Path.Combine(_dir, "d1"), "--bandwidth", "1GB/s");
        var decision = auto.GetProperty("decision");
        Assert.Equal("teleport", decision.GetProperty("method").GetString());
        Assert.True(auto.GetProperty("exact").GetBoolean());
        Assert.Contains("plain copy needs a standalone image: demo has a backing file", decision.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, decision.GetProperty("estimated_seconds").GetProperty("copy").ValueKind);

        var output = Path.Combine(_dir, "forced.qcow2");
        var refused = Cli.Run("pull", $"{serve.Address}/demo", "--token-file", Token, "--fingerprint", serve.Fingerprint,
            "--output", output, "--data-dir", Path.Combine(_dir, "d2"), "--method", "copy");
        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("plain copy needs a standalone image: demo has a backing file", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("--method teleport", refused.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "forced.qcow2*"));
    }

    private JsonElement Pull(ServeProcess serve, string output, string data, params string[] more)
    {
        var r = Cli.Run(["pull", $"{serve.Address}/demo", "--token-file", Token, "--fingerprint", serve.Fingerprint, "--output", output, "--data-dir", data, "--json", .. more]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return JsonDocument.Parse(r.Text).RootElement.Clone();
    }

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f));
    }
}
