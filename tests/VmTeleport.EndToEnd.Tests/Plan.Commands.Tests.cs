using System.Security.Cryptography;
using System.Text.Json;
using VmTeleport.Content.Chunking;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `plan` and `candidates` against a brute-force oracle: the kernel's loop mounts of the source and
/// of the local image (each made raw by qemu-img), every regular file chunked on its own, and plain
/// set arithmetic over the chunk ids. The demo disk's current state is the source; its snapshot
/// "before-edit" (an older version of the same guest) is what the destination has.
/// </summary>
public sealed class PlanCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private sealed record Tree(Dictionary<ChunkId, int> Chunks, HashSet<string> FileHashes, List<(string Sha, ChunkId[] Chunks)> Files, long Bytes);

    /// <summary>Every regular file of the image's partition 1 as the kernel reads it, chunked.</summary>
    private Tree Oracle(string image, string? snapshot)
    {
        var tree = new Tree([], new HashSet<string>(StringComparer.Ordinal), [], 0);
        long bytes = 0;
        foreach (var (_, data) in KernelFiles.Read(image, snapshot, _dir))
        {
            using var stream = new MemoryStream(data);
            var chunks = ChunkReader.Split(stream, new FastCdc(ChunkerOptions.Default), ChunkHasher.Default).ToList();
            foreach (var c in chunks)
            {
                tree.Chunks[c.Id] = c.Length;
            }

            var sha = Convert.ToHexStringLower(SHA256.HashData(data));
            tree.FileHashes.Add(sha);
            tree.Files.Add((sha, chunks.Select(c => c.Id).ToArray()));
            bytes += data.Length;
        }

        return tree with { Bytes = bytes };
    }

    [Fact]
    public void Plan_totals_equal_a_brute_force_set_computation()
    {
        var demo = Fixtures.Path("demo", "demo.qcow2");
        var before = ImageFingerprint.Of(demo);
        var old = Path.Combine(_dir, "old.qcow2");
        ExternalCommand.Check("qemu-img", "convert", "-O", "qcow2", "-l", "snapshot.name=before-edit", demo, old);
        var data = Path.Combine(_dir, "data");
        Cli.Ok("index", "add", "--data-dir", data, old);

        using var doc = JsonDocument.Parse(Cli.Ok("plan", demo, "--data-dir", data, "--bandwidth", "1MB/s", "--json").StdOut);
        var p = doc.RootElement;
        var source = Oracle(demo, null);
        var local = Oracle(old, null);

        long wireFiles = source.Chunks.Where(kv => !local.Chunks.ContainsKey(kv.Key)).Sum(kv => (long)kv.Value);
        int wholeFiles = source.Files.Count(f => local.FileHashes.Contains(f.Sha));
        Assert.True(wireFiles > 0, "the snapshot holds an older version: something must cross the wire");
        Assert.Equal(source.Bytes, p.GetProperty("bytes").GetInt64() - p.GetProperty("region_bytes").GetInt64());
        Assert.Equal(wireFiles, p.GetProperty("wire_raw_bytes").GetInt64() - p.GetProperty("region_wire_raw_bytes").GetInt64());
        Assert.Equal(wholeFiles, p.GetProperty("local_files").GetProperty("image").GetInt64());
        // Every byte is accounted for exactly once.
        long local_ = p.GetProperty("local_bytes").EnumerateObject().Sum(kv => kv.Value.GetInt64());
        Assert.Equal(p.GetProperty("bytes").GetInt64(), local_ + p.GetProperty("duplicate_bytes").GetInt64() + p.GetProperty("wire_raw_bytes").GetInt64());
        Assert.InRange(p.GetProperty("wire_bytes").GetInt64(), 1, p.GetProperty("wire_raw_bytes").GetInt64());
        Assert.Contains(p.GetProperty("decision").GetString(), new[] { "teleport", "copy" });
        Assert.Equal(before, ImageFingerprint.Of(demo));
    }

    [Fact]
    public void With_nothing_local_everything_crosses_the_wire_and_a_slow_link_still_decides()
    {
        var demo = Fixtures.Path("demo", "demo.qcow2");
        var data = Path.Combine(_dir, "empty");
        using var doc = JsonDocument.Parse(Cli.Ok("plan", demo, "--data-dir", data, "--bandwidth", "80mbit", "--json").StdOut);
        var p = doc.RootElement;
        Assert.Empty(p.GetProperty("local_bytes").EnumerateObject());
        Assert.Equal(p.GetProperty("bytes").GetInt64(), p.GetProperty("wire_raw_bytes").GetInt64() + p.GetProperty("duplicate_bytes").GetInt64());
        // Without --allow-newer the byte plan has no newer part; the package table is there (all wire).
        Assert.False(p.TryGetProperty("newer_package_bytes", out _));
        Assert.Equal("none", p.GetProperty("package_summary").GetProperty("allow_newer").GetString());
        Assert.All(p.GetProperty("packages").EnumerateArray(), x => Assert.Equal("wire", x.GetProperty("action").GetString()));
        Assert.Equal(10_000_000d, p.GetProperty("cost").GetProperty("bandwidth_bytes_per_second").GetDouble());
        Assert.False(string.IsNullOrEmpty(p.GetProperty("reason").GetString()));

        // The plain copy it compares with: zstd -3 of the disk, as a user would send it.
        var raw = Path.Combine(_dir, "demo.raw");
        ExternalCommand.Check("qemu-img", "convert", "-O", "raw", demo, raw);
        var zstd = ExternalCommand.Run("bash", ["-c", $"zstd -3 -q -c '{raw}' | wc -c"]);
        long reference = long.Parse(zstd.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        long estimate = p.GetProperty("plain_copy").GetProperty("compressed_bytes").GetInt64();
        Assert.InRange(estimate, reference * 8 / 10, reference * 12 / 10);
    }

    [Fact]
    public void Candidates_rank_the_image_before_its_older_snapshot_by_the_bytes_still_needed()
    {
        var demo = Fixtures.Path("demo", "demo.qcow2");
        var copy = Path.Combine(_dir, "local.qcow2");
        File.Copy(demo, copy);
        var data = Path.Combine(_dir, "data");
        Cli.Ok("index", "add", "--data-dir", data, copy);

        using var doc = JsonDocument.Parse(Cli.Ok("candidates", demo, "--data-dir", data, "--json").StdOut);
        var ranked = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, ranked.Count);
        Assert.Equal((copy, JsonValueKind.Null, 0L), (ranked[0].GetProperty("image").GetString(), ranked[0].GetProperty("snapshot").ValueKind, ranked[0].GetProperty("bytes_needed").GetInt64()));
        Assert.Equal("before-edit", ranked[1].GetProperty("snapshot").GetString());

        var source = Oracle(demo, null);
        var snapshot = Oracle(demo, "before-edit");
        long needed = source.Chunks.Where(kv => !snapshot.Chunks.ContainsKey(kv.Key)).Sum(kv => (long)kv.Value);
        Assert.Equal(needed, ranked[1].GetProperty("bytes_needed").GetInt64());
        Assert.Empty(ranked[1].GetProperty("packages_to_add").EnumerateArray());
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("-5MB/s")]
    public void A_bad_bandwidth_is_a_usage_error(string rate)
    {
        var r = Cli.Run("plan", Fixtures.Path("demo", "demo.qcow2"), "--data-dir", Path.Combine(_dir, "x"), "--bandwidth", rate);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bandwidth", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Archives_of_the_source_packages_are_fetched_from_an_apt_repository_and_used_as_if_local()
    {
        var debs = Fixtures.Path("debian", "debs");
        var picked = new[] { "base-files_", "openssh-client_", "e2fsprogs_" }
            .Select(prefix => Directory.GetFiles(debs, prefix + "*.deb").Single()).ToList();
        var repo = Directory.CreateDirectory(Path.Combine(_dir, "repo")).FullName;
        foreach (var deb in picked)
        {
            File.Copy(deb, Path.Combine(repo, Path.GetFileName(deb)));
        }

        var r = ExternalCommand.Run("bash", ["-c", $"cd '{repo}' && dpkg-scanpackages --multiversion . /dev/null > Packages"]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var image = Fixtures.Path("debian", "debian12.qcow2");

        var viaRepo = Path.Combine(_dir, "via-repo");
        Cli.Ok("index", "add", "--data-dir", viaRepo, Path.Combine(repo, "Packages"));
        using var fetched = JsonDocument.Parse(Cli.Ok("plan", image, "--data-dir", viaRepo, "--json").StdOut);
        var direct = Path.Combine(_dir, "direct");
        Cli.Ok(["index", "add", "--data-dir", direct, .. picked]);
        using var local = JsonDocument.Parse(Cli.Ok("plan", image, "--data-dir", direct, "--json", "--no-fetch").StdOut);

        var f = fetched.RootElement;
        Assert.Equal(3, f.GetProperty("archives_fetched").GetProperty("fetched").GetInt32());
        Assert.Equal(picked.Sum(p => new FileInfo(p).Length), f.GetProperty("archives_fetched").GetProperty("bytes").GetInt64());
        Assert.True(f.GetProperty("local_bytes").GetProperty("deb").GetInt64() > 1 << 20);
        var l = local.RootElement;
        Assert.Equal(JsonValueKind.Null, l.GetProperty("archives_fetched").ValueKind);
        foreach (var key in new[] { "wire_raw_bytes", "duplicate_bytes", "wire_chunks" })
        {
            Assert.Equal(l.GetProperty(key).GetInt64(), f.GetProperty(key).GetInt64());
        }

        Assert.Equal(l.GetProperty("local_bytes").GetProperty("deb").GetInt64(), f.GetProperty("local_bytes").GetProperty("deb").GetInt64());
    }
}
