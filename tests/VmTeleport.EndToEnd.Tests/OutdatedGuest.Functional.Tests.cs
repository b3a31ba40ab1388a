using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// The report's functional copy, end to end: a LAMP guest whose packages are older than the
/// destination's mirror (which, like a real one, keeps only the latest versions) is teleported
/// with --allow-newer. The mirror is an apt repository served over HTTP; the destination holds no
/// VM. The plan names, before any content moves, every package's fate: newer from the mirror, or
/// sent exactly because its version is missing everywhere or it comes from the source's
/// third-party repository; a package whose newer version's postinst fails falls back to its exact
/// files. The result verifies as a functional copy, dpkg in a chroot of it lists the newer
/// versions, and booted under QEMU it serves the same pages and rows as the source.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutdatedGuestFunctionalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-functional-pull-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Teleported_with_newer_packages_it_verifies_as_a_functional_copy_boots_and_serves_the_same_pages_and_rows()
    {
        var fixture = Fixtures.Dir("outdated");
        var image = Path.Combine(fixture, "outdated.qcow2");
        var before = ImageFingerprint.Of(image);
        var downgraded = File.ReadLines(Path.Combine(fixture, "downgraded.txt")).Select(l => l.Split(' ')).ToDictionary(f => f[0], f => f[2]);
        var token = Path.Combine(_dir, "token");
        File.WriteAllText(token, "functional\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var data = Path.Combine(_dir, "dest");
        using var mirror = new StaticFileServer(Path.Combine(fixture, "mirror"));
        foreach (var suite in new[] { "bookworm", "bookworm-updates", "bookworm-security" })
        {
            Cli.Ok("index", "add", $"{mirror.Url}/dists/{suite}/main/binary-amd64/Packages.xz", "--data-dir", data);
        }

        var output = Path.Combine(_dir, "outdated.qcow2");
        JsonElement pull;
        using (var serve = ServeProcess.Start(token, Path.Combine(_dir, "agent"), "--image", image))
        {
            var r = Cli.Ok("pull", $"{serve.Address}/outdated", "--token-file", token, "--fingerprint", serve.Fingerprint,
                "--output", output, "--data-dir", data, "--json", "--method", "teleport", "--allow-newer");
            pull = JsonDocument.Parse(r.Text).RootElement.Clone();
        }

        Assert.False(pull.GetProperty("exact").GetBoolean());
        Assert.True(pull.GetProperty("functional").GetBoolean(), pull.ToString());
        var newer = pull.GetProperty("newer_packages");
        var packages = newer.GetProperty("packages").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.Clone());
        foreach (var (name, version) in downgraded)
        {
            Assert.Equal(("newer", version), (packages[name].GetProperty("action").GetString(), packages[name].GetProperty("version").GetString()));
        }

        Assert.Equal("newer", packages["vmt-point"].GetProperty("action").GetString());
        Assert.Equal("wire", packages["vmt-thirdparty"].GetProperty("action").GetString());
        Assert.Contains("third-party", packages["vmt-thirdparty"].GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Equal("wire", packages["vmt-pinned"].GetProperty("action").GetString());
        Assert.Contains("missing", packages["vmt-pinned"].GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Equal("wire", packages["vmt-fails"].GetProperty("action").GetString());
        Assert.Contains("vmt-fails", newer.GetProperty("fallbacks").EnumerateObject().Select(p => p.Name));
        Assert.Equal(downgraded.Count + 1, newer.GetProperty("newer").GetInt32());

        // verify: a functional copy with --allow-newer, listing the packages; not exact without it.
        var verify = Cli.Run("verify", image, output, "--allow-newer", "--json");
        Assert.True(verify.ExitCode == 0, verify.Text + verify.StdErr);
        var v = JsonDocument.Parse(verify.Text).RootElement;
        Assert.True(v.GetProperty("functional").GetBoolean());
        Assert.Equal(downgraded.Keys.Append("vmt-point").Order(StringComparer.Ordinal),
            v.GetProperty("newer_packages").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(1, Cli.Run("verify", image, output).ExitCode);

        // The guest's own dpkg agrees; the third-party repository and its key travelled exactly.
        var raw = Path.Combine(_dir, "out.raw");
        ExternalCommand.Check("qemu-img", "convert", "-O", "raw", output, raw);
        using (var copy = LoopMount.Raw(raw, 1 << 20))
        {
            var installed = DpkgOracle.Packages(copy).Select(l => l.Split(' ')).ToDictionary(f => f[0], f => f[1]);
            foreach (var (name, version) in downgraded)
            {
                Assert.Equal(version, installed[name]);
            }

            Assert.Equal("1.0", installed["vmt-fails"]);
            Assert.Equal("1.0", installed["vmt-thirdparty"]);
            Assert.Equal("2.0", installed["vmt-pinned"]);
            foreach (var path in new[] { "etc/apt/sources.list.d/vmt-thirdparty.list", "etc/apt/keyrings/vmt-thirdparty.gpg", "etc/apache2/apache2.conf", "etc/mysql/mariadb.conf.d/50-server.cnf" })
            {
                // The source as vmteleport reads it (checked against the kernel's reading elsewhere), the copy as the kernel does.
                Assert.Equal(Cli.Ok("cat", image, "/" + path).StdOut, File.ReadAllBytes(Path.Combine(copy.MountPoint, path)));
            }
        }

        File.Delete(raw);
        var boot = ExternalCommand.Run(RepoRoot.Combine("tools", "fixtures", "boot-check.sh"),
            ["--timeout", "600", "--expect-checks", Path.Combine(fixture, "expected-checks.txt"), output], TimeSpan.FromMinutes(12));
        Assert.True(boot.ExitCode == 0, boot.StdOut + boot.StdErr);
        Assert.Equal(before, ImageFingerprint.Of(image));
    }
}
