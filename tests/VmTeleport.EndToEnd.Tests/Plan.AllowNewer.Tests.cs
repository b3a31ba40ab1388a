using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `plan --allow-newer` on the debian12 guest against a destination holding three of its packages
/// only in a newer version (the guest's own .debs repacked by dpkg-deb with "+vmt1" appended to the
/// version): two in a dists/bookworm-security repository, one as a .deb indexed with --suite
/// bookworm, and base-files in its exact version. The newer packages' unmodified files leave both
/// the local and the wire accounting; the oracle is the original .debs' data as dpkg-deb unpacks it.
/// </summary>
public sealed class PlanAllowNewerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-newer-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Original(string name) => Directory.GetFiles(Fixtures.Path("debian", "debs"), name + "_*.deb").Single();

    /// <summary>The .deb of <paramref name="name"/> rebuilt with its version + "+vmt1"; returns (path, new version).</summary>
    private (string Deb, string Version) Repack(string name, string directory)
    {
        var tree = Path.Combine(_dir, "tree-" + name);
        ExternalCommand.Check("dpkg-deb", "-R", Original(name), tree);
        var version = ExternalCommand.Check("dpkg-deb", "-f", Original(name), "Version").Trim() + "+vmt1";
        var control = Path.Combine(tree, "DEBIAN", "control");
        File.WriteAllLines(control, File.ReadAllLines(control).Select(l => l.StartsWith("Version:", StringComparison.Ordinal) ? "Version: " + version : l));
        Directory.CreateDirectory(directory);
        var deb = Path.Combine(directory, $"{name}_{version}_amd64.deb");
        ExternalCommand.Check("dpkg-deb", "-Zgzip", "-b", tree, deb);
        return (deb, version);
    }

    /// <summary>Bytes the guest holds of the package's regular files (hard links at their target's size), from its original .deb.</summary>
    private static long FileBytes(string name)
    {
        var script = "import sys,tarfile\nt=tarfile.open(fileobj=sys.stdin.buffer,mode='r|')\nn=0\nsizes={}\n"
                     + "for m in t:\n if m.isreg(): sizes[m.name]=m.size; n+=m.size\n elif m.islnk(): n+=sizes[m.linkname]\nprint(n)\n";
        var py = Path.GetTempFileName();
        try
        {
            File.WriteAllText(py, script);
            return long.Parse(ExternalCommand.Check("bash", "-o", "pipefail", "-c", $"dpkg-deb --fsys-tarfile '{Original(name)}' | python3 '{py}'").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(py);
        }
    }

    [Fact]
    public void Newer_packages_come_from_the_release_archives_and_leave_the_byte_plan()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        var repo = Path.Combine(_dir, "mirror");
        var gzip = Repack("gzip", Path.Combine(repo, "pool"));
        var sed = Repack("sed", Path.Combine(repo, "pool"));
        var scan = ExternalCommand.Run("bash", ["-o", "pipefail", "-c",
            $"cd '{repo}' && mkdir -p dists/bookworm-security/main/binary-amd64 && dpkg-scanpackages pool /dev/null 2>/dev/null > dists/bookworm-security/main/binary-amd64/Packages"]);
        Assert.True(scan.ExitCode == 0, scan.StdErr);
        var hostname = Repack("hostname", Path.Combine(_dir, "debs"));
        var data = Path.Combine(_dir, "data");
        Cli.Ok("index", "add", "--data-dir", data, Path.Combine(repo, "dists/bookworm-security/main/binary-amd64/Packages"));
        Cli.Ok("index", "add", "--data-dir", data, "--suite", "bookworm", hostname.Deb, Original("base-files"));

        using var doc = JsonDocument.Parse(Cli.Ok("plan", image, "--data-dir", data, "--allow-newer", "--json").StdOut);
        var p = doc.RootElement;
        var packages = p.GetProperty("packages").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        foreach (var (name, version) in new[] { ("gzip", gzip.Version), ("sed", sed.Version), ("hostname", hostname.Version) })
        {
            var c = packages[name];
            Assert.Equal(("newer", version), (c.GetProperty("action").GetString(), c.GetProperty("version").GetString()));
            // The repository's archives were fetched (and are .debs of its suite now); the local .deb is used as it is.
            Assert.Equal("deb", c.GetProperty("from_kind").GetString());
            Assert.Equal(name == "hostname" ? "bookworm" : "bookworm-security", c.GetProperty("suite").GetString());
        }

        Assert.Equal("exact", packages["base-files"].GetProperty("action").GetString());
        Assert.Equal(Original("base-files"), packages["base-files"].GetProperty("from").GetString());
        // The guest also lists two third-party repositories (the fixture's legacy.list and vmteleport-extra.sources).
        Assert.Equal("not in any destination archive; only in the source's third-party repository http://legacy.fixture.example/debian, http://apt.fixture.example/debian",
            packages["bash"].GetProperty("reason").GetString());
        var summary = p.GetProperty("package_summary");
        Assert.Equal((1, 3, packages.Count - 4), (summary.GetProperty("exact").GetInt32(), summary.GetProperty("newer").GetInt32(), summary.GetProperty("wire").GetInt32()));
        Assert.Equal(2, p.GetProperty("archives_fetched").GetProperty("fetched").GetInt32());

        // gzip, sed and hostname have no conffiles and no modified files in the guest: all their bytes come from the newer archives.
        long newer = FileBytes("gzip") + FileBytes("sed") + FileBytes("hostname");
        Assert.Equal(newer, p.GetProperty("newer_package_bytes").GetInt64());
        long local = p.GetProperty("local_bytes").EnumerateObject().Sum(kv => kv.Value.GetInt64());
        Assert.Equal(p.GetProperty("bytes").GetInt64(),
            local + p.GetProperty("duplicate_bytes").GetInt64() + p.GetProperty("wire_raw_bytes").GetInt64() + newer);
    }

    [Fact]
    public void The_policy_word_is_checked_and_the_text_plan_prints_the_package_summary()
    {
        var demo = Fixtures.Path("demo", "demo.qcow2");
        var data = Path.Combine(_dir, "empty");
        var bad = Cli.Run("plan", "--allow-newer", demo, "--data-dir", data);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--allow-newer takes release or security, not", bad.StdErr, StringComparison.Ordinal);

        var text = Cli.Ok("plan", demo, "--allow-newer", "security", "--data-dir", data).Text;
        Assert.Contains("packages:     0 exact, 0 newer, 0 sent exactly (wire)", text, StringComparison.Ordinal);
        Assert.Contains("newer:        0 B (0 files of newer packages, from their archives)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("newer:", Cli.Ok("plan", demo, "--data-dir", data).Text, StringComparison.Ordinal);
    }
}
