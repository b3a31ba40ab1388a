using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using VmTeleport.Content.Index;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`vmteleport index add|list|scan` as a user runs them (docs/cli.md, docs/content-index.md).</summary>
public sealed class IndexCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vmt-index-" + Guid.NewGuid().ToString("N")[..12]);

    public IndexCommandsTests() => Directory.CreateDirectory(_dir);

    private static string Demo => Fixtures.Path("demo", "demo.qcow2");

    private string DataDir => Path.Combine(_dir, "data");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Image_rows_equal_tree_and_a_second_add_skips_reading_nothing()
    {
        var first = Json(Cli.Ok("index", "add", "--data-dir", DataDir, Demo, "--json"));
        Assert.Equal(2, (int)first["added"]!);
        Assert.Equal(["image", "snapshot"], Sources(first).Select(s => (string)s["kind"]!));

        AssertRowsEqualTree(Demo, volume: 1);

        var second = Json(Cli.Ok("index", "add", "--data-dir", DataDir, Demo, "--json"));
        Assert.Equal(2, (int)second["skipped"]!);
        Assert.All(Sources(second), s => Assert.Equal(0, (long)s["bytes_read"]!));

        var list = Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"));
        var listed = Sources(list).ToList();
        Assert.Equal(2, listed.Count);
        Assert.Equal("before-edit", (string?)listed.Single(s => (string)s["kind"]! == "snapshot")["snapshot"]);
        Assert.Equal("debian", (string?)listed[0]["distro"]);
        var text = Cli.Ok("index", "list", "--data-dir", DataDir).Lines;
        Assert.Contains(text, l => l.StartsWith("snapshot", StringComparison.Ordinal) && l.Contains("demo.qcow2@before-edit", StringComparison.Ordinal));
    }

    [Fact]
    public void The_data_directory_comes_from_the_environment_without_the_option()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vmteleport.dll"));
        foreach (var a in new[] { "index", "list", "--json" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["VMTELEPORT_DATA_DIR"] = DataDir;
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Equal(Path.Combine(DataDir, "index.sqlite"), (string)Json(output)["index"]!);
        Assert.True(File.Exists(Path.Combine(DataDir, "index.sqlite")));
    }

    [Fact]
    public void The_debian_guest_rows_equal_tree_and_its_packages_equal_inspect()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        Cli.Ok("index", "add", "--data-dir", DataDir, image);
        AssertRowsEqualTree(image, volume: null);

        var inspect = Json(Cli.Ok("inspect", image, "--json"));
        using var index = ContentIndex.Open(DataDir);
        var source = Assert.Single(index.Sources());
        Assert.Equal(((string)inspect["os"]!["version"]!, (string?)inspect["os"]!["codename"]), (source.DistroVersion, source.Codename));
        Assert.Equal(
            inspect["packages"]!.AsArray().Select(p => ((string)p!["name"]!, (string)p["version"]!, (string)p["architecture"]!)).Order(),
            index.PackagesOf(source.Id).Select(p => (p.Name, p.Version, p.Architecture)).Order());
    }

    [Fact]
    public void Guest_paths_of_a_guest_on_four_filesystems_equal_its_manifest()
    {
        // /boot, /, /var and /home on partitions 1-4, merged by fstab (tools/fixtures/debian.sh).
        var image = Fixtures.Path("debian", "debian12-split.qcow2");
        Cli.Ok("index", "add", "--data-dir", DataDir, image);
        var manifest = Path.Combine(_dir, "manifest.jsonl");
        Cli.Ok("inspect", image, "--manifest", manifest);
        var expected = File.ReadLines(manifest).Select(l => JsonNode.Parse(l)!).Where(e => (string)e["type"]! == "file")
            .Select(e => ((string)e["path"]!, (string)e["sha256"]!)).Order().ToList();

        using var index = ContentIndex.Open(DataDir);
        var rows = index.FilesOf(Assert.Single(index.Sources()).Id);
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.Volume!.Value).Distinct().Order());
        Assert.Equal(expected, rows.Where(r => r.GuestPath is not null).Select(r => (r.GuestPath!, Convert.ToHexStringLower(r.Sha256))).Order().ToList());
        // A file of /boot's filesystem is /vmlinuz-* inside it and /boot/vmlinuz-* in the guest.
        Assert.Contains(rows, r => r.Volume == 1 && r.Path.StartsWith("/vmlinuz-", StringComparison.Ordinal) && r.GuestPath == "/boot" + r.Path);
    }

    [Fact]
    public void A_killed_add_leaves_whole_sources_and_a_rerun_completes()
    {
        var debs = Directory.CreateDirectory(Path.Combine(_dir, "debs")).FullName;
        foreach (var deb in Directory.GetFiles(Fixtures.Path("debian", "debs"), "*.deb").Order(StringComparer.Ordinal).Take(40))
        {
            File.Copy(deb, Path.Combine(debs, Path.GetFileName(deb)));
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "vmteleport.dll"), "index", "add", "--data-dir", DataDir, Demo, debs })
        {
            info.ArgumentList.Add(a);
        }

        using (var p = Process.Start(info)!)
        {
            var clock = Stopwatch.StartNew();
            int committed = 0;
            while (committed < 3 && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(100);
                committed = File.Exists(Path.Combine(DataDir, "index.sqlite"))
                    ? Sources(Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"))).Count()
                    : 0;
            }

            Assert.False(p.HasExited, "the add finished before it could be killed: give it more to do");
            p.Kill(); // SIGKILL: no handler runs, no transaction is finished
            p.WaitForExit();
        }

        var list = Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"));
        var before = Sources(list).ToList();
        Assert.InRange(before.Count, 3, 41);
        AssertConsistent(list);

        var rerun = Json(Cli.Ok("index", "add", "--data-dir", DataDir, Demo, debs, "--json"));
        Assert.Equal(before.Count, (int)rerun["skipped"]!);
        Assert.Equal(42 - before.Count, (int)rerun["added"]!);
        var after = Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"));
        Assert.Equal(42, Sources(after).Count());
        AssertConsistent(after);
    }

    [Fact]
    public void A_corrupt_deb_is_refused_by_name_and_the_others_are_indexed()
    {
        var debs = Directory.CreateDirectory(Path.Combine(_dir, "debs")).FullName;
        var real = Directory.GetFiles(Fixtures.Path("debian", "debs"), "gzip_*.deb").Single();
        File.Copy(real, Path.Combine(debs, "a.deb"));
        var bytes = File.ReadAllBytes(real);
        File.WriteAllBytes(Path.Combine(debs, "broken.deb"), bytes[..(bytes.Length - 1000)]);

        var r = Cli.Run("index", "add", "--data-dir", DataDir, debs);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("broken.deb", r.StdErr, StringComparison.Ordinal);
        Assert.StartsWith("vmteleport: corrupt input:", r.StdErr, StringComparison.Ordinal);
        var listed = Sources(Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"))).ToList();
        Assert.EndsWith("a.deb", (string)Assert.Single(listed)["location"]!, StringComparison.Ordinal);

        // Named as a file, a .deb without the ar magic is still a .deb (not taken for a raw disk image).
        var noMagic = Path.Combine(_dir, "no-magic.deb");
        bytes[0] = (byte)'?';
        File.WriteAllBytes(noMagic, bytes);
        var single = Cli.Run("index", "add", "--data-dir", DataDir, noMagic);
        Assert.Equal(4, single.ExitCode);
        Assert.Contains("no-magic.deb", single.StdErr, StringComparison.Ordinal);
        Assert.Single(Sources(Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"))));
    }

    [Fact]
    public void A_packages_index_is_added_as_an_apt_repository()
    {
        var repo = Directory.CreateDirectory(Path.Combine(_dir, "repo")).FullName;
        var deb = Directory.GetFiles(Fixtures.Path("debian", "debs"), "gzip_*.deb").Single();
        File.Copy(deb, Path.Combine(repo, Path.GetFileName(deb)));
        var scan = ExternalCommand.Run("bash", ["-o", "pipefail", "-c", $"cd '{repo}' && dpkg-scanpackages . 2>/dev/null | xz > Packages.xz"]);
        Assert.True(scan.ExitCode == 0, scan.StdErr);

        var added = Json(Cli.Ok("index", "add", "--data-dir", DataDir, Path.Combine(repo, "Packages.xz"), "--json"));
        Assert.Equal("apt-repository", (string)Sources(added).Single()["kind"]!);
        Assert.Contains(Cli.Ok("index", "list", "--data-dir", DataDir).Lines, l => l.StartsWith("apt-repository", StringComparison.Ordinal));
        using var index = ContentIndex.Open(DataDir);
        var package = Assert.Single(index.PackagesOf(Assert.Single(index.Sources()).Id));
        Assert.Equal(("gzip", Path.Combine(repo, Path.GetFileName(deb))), (package.Name, package.ArchiveLocation));
    }

    [Fact]
    public void Suite_labels_the_debs_of_a_directory_and_list_shows_it()
    {
        var debs = Directory.CreateDirectory(Path.Combine(_dir, "security")).FullName;
        foreach (var prefix in new[] { "gzip_", "dash_" })
        {
            var deb = Directory.GetFiles(Fixtures.Path("debian", "debs"), prefix + "*.deb").Single();
            File.Copy(deb, Path.Combine(debs, Path.GetFileName(deb)));
        }

        Cli.Ok("index", "add", "--data-dir", DataDir, "--suite", "bookworm-security", debs);
        var listed = Sources(Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"))).ToList();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, s => Assert.Equal("bookworm-security", (string?)s["suite"]));
        Assert.All(Cli.Ok("index", "list", "--data-dir", DataDir).Lines, l => Assert.Contains(" bookworm-security ", l, StringComparison.Ordinal));

        var bad = Cli.Run("index", "add", "--data-dir", DataDir, "--suite", "bookworm/updates", debs);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--suite", bad.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_indexes_the_disks_of_libvirt_domains()
    {
        var libvirt = Directory.CreateDirectory(Path.Combine(_dir, "qemu")).FullName;
        var image = Path.Combine(_dir, "vm1.qcow2");
        File.Copy(Demo, image);
        File.WriteAllText(Path.Combine(libvirt, "vm1.xml"), $"""
            <domain type='kvm'><name>vm1</name><memory unit='MiB'>512</memory><os><type arch='x86_64'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{image}'/><target dev='vda' bus='virtio'/></disk>
                <disk type='file' device='cdrom'><source file='/nonexistent.iso'/><target dev='sda' bus='sata'/></disk>
              </devices>
            </domain>
            """);

        // libvirt's test driver answers without a daemon; its sample domain "test" names the disk
        // /guest/diskimage1, which does not exist here: that source fails, by name, and the rest is indexed.
        var run = Cli.Run("index", "scan", "--libvirt", "--libvirt-dir", libvirt, "--connect", "test:///default", "--data-dir", DataDir, "--json");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("/guest/diskimage1", run.StdErr, StringComparison.Ordinal);
        var r = Json(run);
        Assert.Equal([(image, "image", "added"), (image, "snapshot", "added"), ("/guest/diskimage1", "image", "failed")],
            Sources(r).Select(s => ((string)s["location"]!, (string)s["kind"]!, (string)s["outcome"]!)));
        Assert.Equal(2, Sources(Json(Cli.Ok("index", "list", "--data-dir", DataDir, "--json"))).Count());
        Assert.Equal(2, Cli.Run("index", "scan", "--data-dir", DataDir).ExitCode);
    }

    private void AssertRowsEqualTree(string image, int? volume)
    {
        var tree = new Dictionary<string, (long, string)>();
        foreach (var line in Cli.Ok("tree", image, "--jsonl").Lines)
        {
            var e = JsonNode.Parse(line)!;
            if ((string)e["type"]! == "file")
            {
                tree[(string)e["path"]!] = ((long)e["size"]!, (string)e["sha256"]!);
            }
        }

        Assert.NotEmpty(tree);
        using var index = ContentIndex.Open(DataDir);
        var source = index.Sources().First(s => s.Location == Path.GetFullPath(image) && s.Snapshot is null);
        var rows = index.FilesOf(source.Id);
        Assert.All(rows, f => Assert.Equal(volume ?? rows[0].Volume, f.Volume));
        Assert.Equal(
            tree.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value.Item1, t.Value.Item2)),
            rows.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => (f.Path, f.Size, Convert.ToHexStringLower(f.Sha256))));
    }

    /// <summary>Every source's stored totals (written last in its transaction) equal its rows.</summary>
    private void AssertConsistent(JsonNode list)
    {
        var summary = list["summary"]!;
        var sources = Sources(list).ToList();
        Assert.Equal(sources.Count, (int)summary["sources"]!);
        Assert.Equal(sources.Sum(s => (long)s["files"]!), (long)summary["files"]!);
        Assert.Equal(sources.Sum(s => (long)s["chunks"]!), (long)summary["chunks"]!);
        Assert.Equal(sources.Sum(s => (long)s["bytes"]!), (long)summary["bytes"]!);
        Assert.All(sources, s => Assert.Equal("indexed", (string)s["state"]!));
        using var index = ContentIndex.Open(DataDir);
        foreach (var s in index.Sources())
        {
            Assert.Equal(s.Files, index.FilesOf(s.Id).Count);
        }
    }

    private static IEnumerable<JsonNode> Sources(JsonNode doc) => doc["sources"]!.AsArray().Select(s => s!);

    private static JsonNode Json(Cli.Result r) => Json(r.Text);

    private static JsonNode Json(string text) => JsonNode.Parse(text, documentOptions: new JsonDocumentOptions())!;
}
