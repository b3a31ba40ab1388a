using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`verify` reports exactly what differs: against the kernel's view of two versions of a disk, and against a manifest changed on purpose.</summary>
public sealed class VerifyCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-verify-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Demo => Fixtures.Path("demo", "demo.qcow2");

    private Dictionary<string, string> KernelHashes(string? snapshot) =>
        KernelFiles.Read(Demo, snapshot, _dir).ToDictionary(f => f.Path, f => Convert.ToHexStringLower(SHA256.HashData(f.Content)));

    [Fact]
    public void An_image_is_exact_against_itself_and_its_snapshot_differs_where_the_kernel_sees_it_differ()
    {
        var same = Cli.Run("verify", Demo, Demo, "--json");
        Assert.Equal(0, same.ExitCode);
        Assert.True(JsonDocument.Parse(same.StdOut).RootElement.GetProperty("exact").GetBoolean());

        var now = KernelHashes(null);
        var then = KernelHashes("before-edit");
        var changed = now.Where(kv => then.TryGetValue(kv.Key, out var h) && h != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(changed);

        var r = Cli.Run("verify", Demo, Demo + "@before-edit", "--json");
        Assert.Equal(1, r.ExitCode);
        var d = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.False(d.GetProperty("exact").GetBoolean());
        var differences = d.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal(changed, differences.Where(x => x.GetProperty("field").GetString() == "sha256").Select(x => x.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        foreach (var x in differences.Where(x => x.GetProperty("field").GetString() == "sha256"))
        {
            var path = x.GetProperty("path").GetString()!;
            Assert.Equal((now[path], then[path]), (x.GetProperty("source").GetString(), x.GetProperty("target").GetString()));
        }
    }

    [Fact]
    public void Each_change_to_a_manifest_is_reported_as_what_it_is()
    {
        var lines = Cli.Ok("tree", Demo, "--jsonl").Lines.ToList();
        int hostname = lines.FindIndex(l => l.StartsWith("{\"path\":\"/etc/hostname\"", StringComparison.Ordinal));
        var node = JsonNode.Parse(lines[hostname])!.AsObject();
        int mode = node["mode"]!.GetValue<int>();
        node["mode"] = mode ^ 0b010_000_000; // owner write flipped
        lines[hostname] = node.ToJsonString();
        int tool = lines.FindIndex(l => l.StartsWith("{\"path\":\"/usr/local/bin/tool\"", StringComparison.Ordinal));
        lines.RemoveAt(tool);
        var extra = JsonNode.Parse(lines[hostname])!.AsObject();
        extra["path"] = "/etc/added-by-hand";
        lines.Add(extra.ToJsonString());
        var manifest = Path.Combine(_dir, "changed.jsonl");
        File.WriteAllLines(manifest, lines);

        var r = Cli.Run("verify", Demo, manifest, "--json");

        Assert.Equal(1, r.ExitCode);
        var d = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.Equal(3, d.GetProperty("difference_count").GetInt32());
        var found = d.GetProperty("differences").EnumerateArray()
            .Select(x => (x.GetProperty("path").GetString(), x.GetProperty("field").GetString())).Order().ToList();
        Assert.Equal([("/etc/added-by-hand", "extra"), ("/etc/hostname", "mode"), ("/usr/local/bin/tool", "missing")], found);
        var modeDiff = d.GetProperty("differences").EnumerateArray().Single(x => x.GetProperty("field").GetString() == "mode");
        Assert.Equal((mode, mode ^ 0b010_000_000), (modeDiff.GetProperty("source").GetInt32(), modeDiff.GetProperty("target").GetInt32()));
    }
}
