using System.Diagnostics;
using System.Text.Json;
using VmTeleport.TestSupport;
using VmTeleport.Transfer.Store;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`vmteleport serve` as a process and `vmteleport fetch` against it, as a user runs them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServeCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vmt-serve-" + Guid.NewGuid().ToString("N"));
    private readonly string _image = Fixtures.Path("demo", "demo.qcow2");

    public ServeCommandsTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Token, "e2e-token\n");
        File.SetUnixFileMode(Token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private string Token => Path.Combine(_dir, "token");

    [Fact]
    public void Serve_then_fetch_gets_every_chunk_once_survives_a_killed_agent_and_leaves_the_image_unchanged()
    {
        var before = ImageFingerprint.Of(_image);
        var (serve, fingerprint, address) = StartServe();
        var data = Path.Combine(_dir, "client");
        JsonElement first;
        try
        {
            first = Fetch($"{address}/demo", fingerprint, data);
            Assert.True(first.GetProperty("fetched").GetInt32() > 10);
            Assert.Equal(first.GetProperty("distinct_chunks").GetInt32(), first.GetProperty("fetched").GetInt32());
            Assert.True(first.GetProperty("wire_bytes").GetInt64() > first.GetProperty("payload_bytes").GetInt64());
            Assert.True(File.Exists(Path.Combine(data, "fetched", "demo", "manifest.jsonl")));
            Assert.Contains("\"os\"", File.ReadAllText(Path.Combine(data, "fetched", "demo", "description.json")), StringComparison.Ordinal);

            // A wrong fingerprint is refused with exit code 6 and a message naming both.
            var wrong = Cli.Run("fetch", $"{address}/demo", "--token-file", Token, "--fingerprint", "SHA256:" + new string('A', 43), "--data-dir", data);
            Assert.Equal(6, wrong.ExitCode);
            Assert.Contains(fingerprint, wrong.StdErr, StringComparison.Ordinal);

            // While another process holds the data directory's chunk store, a fetch into it is refused (exit 6), not interleaved.
            var chunks = Path.Combine(data, "chunks");
            using (new PackChunkStore(chunks))
            {
                var busy = Cli.Run("fetch", $"{address}/demo", "--token-file", Token, "--fingerprint", fingerprint, "--data-dir", data);
                Assert.Equal(6, busy.ExitCode);
                Assert.Contains(chunks, busy.StdErr, StringComparison.Ordinal);
                Assert.Contains("another vmteleport process", busy.StdErr, StringComparison.Ordinal);
            }
        }
        finally
        {
            serve.Kill();
            serve.WaitForExit();
            serve.Dispose();
        }

        // The agent is gone: fetch fails cleanly.
        var down = Cli.Run("fetch", $"{address}/demo", "--token-file", Token, "--fingerprint", fingerprint, "--data-dir", Path.Combine(_dir, "other"));
        Assert.Equal(6, down.ExitCode);
        Assert.Contains("cannot reach agent", down.StdErr, StringComparison.Ordinal);

        // Restarted with the same data directory: same certificate, and the store already holds everything.
        var (again, fingerprint2, address2) = StartServe();
        try
        {
            Assert.Equal(fingerprint, fingerprint2);
            var second = Fetch($"{address2}/demo", fingerprint, data);
            Assert.Equal(0, second.GetProperty("fetched").GetInt32());
            Assert.Equal(0, second.GetProperty("requested_ids").GetInt64());
            Assert.Equal(first.GetProperty("distinct_chunks").GetInt32(), second.GetProperty("already_stored").GetInt32());
        }
        finally
        {
            again.Kill();
            again.WaitForExit();
            again.Dispose();
        }

        Assert.Equal(before, ImageFingerprint.Of(_image));
    }

    [Fact]
    public void Serve_refuses_a_token_file_others_can_read()
    {
        File.SetUnixFileMode(Token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var r = Cli.Run("serve", "--image", _image, "--listen", "127.0.0.1:0", "--token-file", Token, "--data-dir", Path.Combine(_dir, "agent"));
        Assert.Equal(6, r.ExitCode);
        Assert.Contains("chmod 600", r.StdErr, StringComparison.Ordinal);
    }

    private JsonElement Fetch(string url, string fingerprint, string data)
    {
        var r = Cli.Ok("fetch", url, "--token-file", Token, "--fingerprint", fingerprint, "--data-dir", data, "--json");
        return JsonDocument.Parse(r.Text).RootElement.Clone();
    }

    private (Process Process, string Fingerprint, string Address) StartServe()
    {
        var serve = ServeProcess.Start(Token, Path.Combine(_dir, "agent"), "--image", _image);
        return (serve.Process, serve.Fingerprint, serve.Address);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
