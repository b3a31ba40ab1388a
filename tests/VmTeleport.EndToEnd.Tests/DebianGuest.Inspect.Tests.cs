using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `inspect` on the real Debian 12 guests (tools/fixtures/debian.sh): the facts the fixture was
/// built with, the package list dpkg-query printed in the guest's chroot at build time, and a
/// manifest whose every line is the `tree` line of the same entry plus its class.
/// </summary>
public sealed class DebianGuestInspectTests
{
    [Theory]
    [InlineData("debian12.qcow2", "mbr", 1)]
    [InlineData("debian12-gpt.raw", "gpt", 2)]
    public void Describes_the_guest_it_was_built_as(string image, string scheme, int rootPartition)
    {
        var path = Fixtures.Path("debian", image);
        var before = ImageFingerprint.Of(path);
        using var doc = JsonDocument.Parse(Cli.Ok("inspect", path, "--json").StdOut);
        var d = doc.RootElement;
        Assert.Equal("vmteleport-description", d.GetProperty("format").GetString());
        Assert.Equal(1, d.GetProperty("version").GetInt32());
        var os = d.GetProperty("os");
        Assert.Equal("linux", os.GetProperty("type").GetString());
        Assert.Equal("debian", os.GetProperty("distro").GetString());
        Assert.Equal(12, os.GetProperty("major_version").GetInt32());
        Assert.Equal("bookworm", os.GetProperty("codename").GetString());
        Assert.Equal("x86_64", os.GetProperty("architecture").GetString());
        Assert.Equal("vmteleport-debian12", os.GetProperty("hostname").GetString());
        Assert.Equal(("deb", "apt", "systemd"), (os.GetProperty("package_format").GetString(), os.GetProperty("package_manager").GetString(), os.GetProperty("init_system").GetString()));
        var kernel = Assert.Single(os.GetProperty("kernels").EnumerateArray());
        Assert.StartsWith("/boot/vmlinuz-", kernel.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.True(kernel.GetProperty("modules").GetBoolean());

        Assert.Equal(scheme, d.GetProperty("partition_table").GetProperty("scheme").GetString());
        var root = d.GetProperty("filesystems").EnumerateArray().Single(f => f.GetProperty("mount_point").GetString() == "/");
        Assert.Equal(rootPartition, root.GetProperty("partition").GetInt32());
        Assert.Equal("5e1f0a7e-0d1e-4b1a-9c3e-7e1e9047d012", root.GetProperty("uuid").GetString());
        Assert.Equal(("ext4", "debian12-root", "root"), (root.GetProperty("type").GetString(), root.GetProperty("label").GetString(), root.GetProperty("role").GetString()));
        Assert.Contains("metadata_csum", root.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.InRange(root.GetProperty("used").GetInt64(), 500L << 20, 2L << 30);

        // The oracle: dpkg-query run in the guest's chroot when the fixture was built.
        var expected = File.ReadAllLines(Fixtures.Path("debian", "packages.txt")).Where(l => l.Length > 0).Order(StringComparer.Ordinal);
        var packages = d.GetProperty("packages").EnumerateArray()
            .Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()} {p.GetProperty("architecture").GetString()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, packages);
        Assert.True(d.GetProperty("package_database").GetProperty("read").GetBoolean());

        var classes = d.GetProperty("file_classes");
        Assert.True(classes.GetProperty("package").GetProperty("bytes").GetInt64() > 400L << 20, "most bytes of a fresh system come from packages");
        Assert.True(classes.GetProperty("unowned").GetProperty("count").GetInt64() > 100);
        Assert.Empty(d.GetProperty("unverifiable_files").EnumerateObject());
        Assert.Equal(before, ImageFingerprint.Of(path));
    }

    [Fact]
    public void The_manifest_is_the_tree_plus_class_and_package_and_totals_add_up()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        var manifestPath = Path.Combine(Path.GetTempPath(), $"vmt-manifest-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var doc = JsonDocument.Parse(Cli.Ok("inspect", image, "--json", "--manifest", manifestPath).StdOut);
            var manifest = File.ReadAllLines(manifestPath);
            Assert.False(File.Exists(manifestPath + ".partial"));
            var tree = Cli.Ok("tree", image, "--jsonl").Lines;
            Assert.Equal(tree.Count, manifest.Length);

            var counts = new Dictionary<string, (long Count, long Bytes)>();
            for (int i = 0; i < manifest.Length; i++)
            {
                using var line = JsonDocument.Parse(manifest[i]);
                var e = line.RootElement;
                var cls = e.GetProperty("class").GetString()!;
                var package = e.GetProperty("package");
                Assert.True(cls is "package" or "package-modified" == (package.ValueKind == JsonValueKind.String), manifest[i]);
                // The tree fields come first, unchanged, then exactly the two added keys.
                int cut = manifest[i].LastIndexOf(",\"class\":", StringComparison.Ordinal);
                Assert.Equal(tree[i], manifest[i][..cut] + "}");
                long size = e.TryGetProperty("size", out var s) ? s.GetInt64() : 0;
                var c = counts.GetValueOrDefault(cls);
                counts[cls] = (c.Count + 1, c.Bytes + size);
            }

            var totals = doc.RootElement.GetProperty("file_classes");
            foreach (var cls in new[] { "package", "package-modified", "unowned", "ephemeral" })
            {
                var t = totals.GetProperty(cls);
                Assert.Equal(counts.GetValueOrDefault(cls), (t.GetProperty("count").GetInt64(), t.GetProperty("bytes").GetInt64()));
            }

            // Spot checks that hold on any Debian guest.
            string ClassOf(string path) => manifest.Single(l => l.StartsWith($"{{\"path\":\"{path}\",", StringComparison.Ordinal)) is var l
                ? JsonDocument.Parse(l).RootElement.GetProperty("class").GetString()! : "";
            Assert.Equal("package", ClassOf("/usr/bin/dpkg"));
            Assert.Equal("unowned", ClassOf("/etc/hostname"));
            Assert.Equal("unowned", ClassOf("/var/lib/dpkg/status"));
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }
}
