using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `inspect` against the references a Debian operator trusts, asked about the same image in the
/// same run: the guest's own dpkg (dpkg-query and dpkg --verify in a chroot of the kernel's
/// read-only loop mount) and libguestfs's virt-inspector.
/// </summary>
public sealed class DebianGuestOraclesTests
{
    private const long RootOffset = 1 << 20; // debian12.raw: the root partition starts at sector 2048

    [Fact]
    public void Packages_and_modified_files_are_what_dpkg_itself_reports()
    {
        var raw = Fixtures.Path("debian", "debian12.raw");
        var before = ImageFingerprint.Of(raw);
        var manifestPath = Path.Combine(Path.GetTempPath(), $"vmt-oracle-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var doc = JsonDocument.Parse(Cli.Ok("inspect", raw, "--json", "--manifest", manifestPath).StdOut);
            var d = doc.RootElement;
            IReadOnlyList<string> expectedPackages;
            IReadOnlySet<string> changed, missing;
            using (var mount = LoopMount.Raw(raw, RootOffset))
            {
                expectedPackages = DpkgOracle.Packages(mount);
                (changed, missing) = DpkgOracle.Verify(mount);
            }

            var packages = d.GetProperty("packages").EnumerateArray()
                .Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()} {p.GetProperty("architecture").GetString()}");
            Assert.Equal(expectedPackages.Order(StringComparer.Ordinal), packages.Order(StringComparer.Ordinal));

            // The fixture edits conffiles and a package file and deletes another: an oracle that
            // finds nothing would prove nothing.
            Assert.Contains("/etc/ssh/ssh_config", changed);
            Assert.Contains("/usr/share/common-licenses/Apache-2.0", changed);
            Assert.Contains("/usr/share/common-licenses/Artistic", missing);

            var modified = File.ReadLines(manifestPath)
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.GetProperty("class").GetString() == "package-modified")
                .Select(e => e.GetProperty("path").GetString()!)
                .ToHashSet(StringComparer.Ordinal);
            Assert.Equal(changed.Order(StringComparer.Ordinal), modified.Order(StringComparer.Ordinal));

            var modifiedFiles = d.GetProperty("modified_files");
            Assert.Equal(changed.Count, modifiedFiles.GetProperty("count").GetInt64());
            Assert.Equal(changed.Order(StringComparer.Ordinal),
                modifiedFiles.GetProperty("paths").EnumerateArray().Select(p => p.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));

            var missingFiles = d.GetProperty("missing_files");
            Assert.Equal(missing.Count, missingFiles.GetProperty("count").GetInt64());
            Assert.Equal(missing.Order(StringComparer.Ordinal),
                missingFiles.GetProperty("paths").EnumerateArray().Select(p => p.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));
            Assert.Equal(before, ImageFingerprint.Of(raw));
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }

    [Theory]
    [InlineData("debian12.qcow2", "qcow2")]
    [InlineData("debian12-split.qcow2", "qcow2")]
    public void Hostname_distro_and_version_agree_with_virt_inspector(string image, string format)
    {
        var path = Fixtures.Path("debian", image);
        var reference = VirtInspector.Inspect(path, format);
        using var doc = JsonDocument.Parse(Cli.Ok("inspect", path, "--json").StdOut);
        var os = doc.RootElement.GetProperty("os");
        Assert.Equal(
            (reference.Hostname, reference.Distro, reference.MajorVersion, reference.MinorVersion, reference.PackageFormat),
            (os.GetProperty("hostname").GetString(), os.GetProperty("distro").GetString(), os.GetProperty("major_version").GetInt32(),
                os.GetProperty("minor_version").GetInt32(), os.GetProperty("package_format").GetString()));
        Assert.Equal(reference.Name, os.GetProperty("type").GetString());
    }
}
