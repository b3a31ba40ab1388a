using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `inspect` on the small guests of tools/fixtures/guests.sh: rpm guests described as far as VM
/// Teleport can (and saying plainly that their packages are unknown), an Ubuntu, and a Debian
/// whose os-release, dpkg status and md5sums are damaged.
/// </summary>
public sealed class SyntheticGuestsInspectTests
{
    private static JsonElement Inspect(string image, out string manifest)
    {
        var path = Fixtures.Path("guests", image);
        var before = ImageFingerprint.Of(path);
        var manifestPath = Path.Combine(Path.GetTempPath(), $"vmt-{image}-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = Cli.Ok("inspect", path, "--json", "--manifest", manifestPath);
            manifest = File.ReadAllText(manifestPath);
            Assert.Equal(before, ImageFingerprint.Of(path));
            return JsonDocument.Parse(result.StdOut).RootElement.Clone();
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }

    private static string ClassOf(string manifest, string path) =>
        JsonDocument.Parse(manifest.Split('\n').Single(l => l.StartsWith($"{{\"path\":\"{path}\",", StringComparison.Ordinal)))
            .RootElement.GetProperty("class").GetString()!;

    [Theory]
    [InlineData("rocky9.qcow2", "rocky", 9, 3, "rocky9-web")]
    [InlineData("fedora39.qcow2", "fedora", 39, null, "fedora-box")]
    public void Rpm_guests_are_described_and_their_packages_are_unknown_not_absent(string image, string distro, int major, int? minor, string hostname)
    {
        var d = Inspect(image, out var manifest);
        var os = d.GetProperty("os");
        Assert.Equal(("linux", distro, major, "rpm", hostname),
            (os.GetProperty("type").GetString(), os.GetProperty("distro").GetString(), os.GetProperty("major_version").GetInt32(),
                os.GetProperty("package_format").GetString(), os.GetProperty("hostname").GetString()));
        Assert.Equal(minor, os.GetProperty("minor_version").ValueKind == JsonValueKind.Null ? null : os.GetProperty("minor_version").GetInt32());
        var db = d.GetProperty("package_database");
        Assert.False(db.GetProperty("read").GetBoolean());
        Assert.Equal("rpm", db.GetProperty("format").GetString());
        Assert.Contains("unknown (not absent)", db.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Empty(d.GetProperty("packages").EnumerateArray());
        Assert.Equal(0, d.GetProperty("file_classes").GetProperty("package").GetProperty("count").GetInt64());
        Assert.Equal("unowned", ClassOf(manifest, "/etc/hostname"));
        var fs = Assert.Single(d.GetProperty("filesystems").EnumerateArray());
        Assert.Equal(("/", "ext4"), (fs.GetProperty("mount_point").GetString(), fs.GetProperty("type").GetString()));
    }

    [Fact]
    public void Ubuntu_packages_edited_conffiles_and_unverifiable_files()
    {
        var d = Inspect("ubuntu2204.qcow2", out var manifest);
        var os = d.GetProperty("os");
        Assert.Equal(("ubuntu", 22, 4, "jammy", "deb"),
            (os.GetProperty("distro").GetString(), os.GetProperty("major_version").GetInt32(), os.GetProperty("minor_version").GetInt32(),
                os.GetProperty("codename").GetString(), os.GetProperty("package_format").GetString()));
        Assert.Equal(["base-files 12ubuntu4.4", "hello 2.10-2ubuntu4", "tinyweb 1.0-1"],
            d.GetProperty("packages").EnumerateArray().Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()}").Order(StringComparer.Ordinal));
        Assert.Equal("package", ClassOf(manifest, "/usr/bin/hello"));
        Assert.Equal("package", ClassOf(manifest, "/etc/issue")); // an untouched conffile
        Assert.Equal("package-modified", ClassOf(manifest, "/etc/tinyweb.conf"));
        Assert.Equal("package-modified", ClassOf(manifest, "/usr/share/tinyweb/extra.css"));
        Assert.Equal(1, d.GetProperty("unverifiable_files").GetProperty("tinyweb").GetInt32());
        Assert.Equal(0, d.GetProperty("missing_files").GetProperty("count").GetInt64());
    }

    [Fact]
    public void A_damaged_debian_is_described_where_it_can_be_and_the_damage_is_listed()
    {
        var d = Inspect("broken-debian.qcow2", out var manifest);
        var os = d.GetProperty("os");
        Assert.Equal(("debian", 12, 4, "broken-box"),
            (os.GetProperty("distro").GetString(), os.GetProperty("major_version").GetInt32(), os.GetProperty("minor_version").GetInt32(),
                os.GetProperty("hostname").GetString()));
        var problems = d.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.Contains("/etc/os-release", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("/var/lib/dpkg/status", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("coreutils", StringComparison.Ordinal) && p.Contains("md5sums", StringComparison.Ordinal));
        // The good paragraphs on either side of the damaged one are read.
        Assert.Equal(["base-files", "coreutils"],
            d.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(2, d.GetProperty("unverifiable_files").GetProperty("coreutils").GetInt32());
        Assert.Equal("package-modified", ClassOf(manifest, "/usr/bin/ls"));
        Assert.Equal("package", ClassOf(manifest, "/usr/share/base-files/motd"));
    }
}
