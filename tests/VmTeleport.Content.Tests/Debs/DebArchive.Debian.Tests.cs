using System.Security.Cryptography;
using VmTeleport.Content.Debs;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Debs;

/// <summary>
/// Real Debian 12 packages (every third under 1 MiB) of the Debian fixture (tools/fixtures/debian.sh keeps them in debs/):
/// every entry, its metadata and sha256 equal dpkg-deb + Python's tarfile, the control fields equal
/// dpkg-deb -f, and every file's md5 equals the package's own md5sums.
/// </summary>
public sealed class DebArchiveDebianTests
{
    [Fact]
    public void Real_packages_read_as_dpkg_deb_reads_them()
    {
        var debs = Directory.GetFiles(Path.Combine(Fixtures.Debian, "debs"), "*.deb")
            .Where(d => new FileInfo(d).Length < 1 << 20)
            .Order(StringComparer.Ordinal)
            .Where((_, i) => i % 3 == 0) // a third of them keeps the test near a minute on 2 cores
            .ToList();
        Assert.True(debs.Count >= 20, $"the fixture has {debs.Count} sampled packages under 1 MiB");

        var members = new HashSet<string>();
        foreach (var deb in debs)
        {
            using (var archive = DebArchive.Open(deb))
            {
                var fields = ExternalCommand.Check("dpkg-deb", "-f", deb, "Package", "Version", "Architecture");
                Assert.Equal(fields, $"Package: {archive.Control.Package}\nVersion: {archive.Control.Version}\nArchitecture: {archive.Control.Architecture}\n");
                var listing = DebListing.Read(archive);
                Assert.Equal(DebListing.Oracle(deb), listing);
                members.Add(archive.ControlMember);
                members.Add(archive.DataMember!);
            }

            using var again = DebArchive.Open(deb);
            var sums = again.Control.Md5Sums;
            foreach (var e in again.ReadData())
            {
                if (e.Content is not null && sums.TryGetValue(e.Path, out var md5))
                {
                    Assert.Equal(md5, Convert.ToHexStringLower(MD5.HashData(e.Content)));
                }
            }
        }

        // Debian 12 writes xz: both members should have come through the xz decoder at least.
        Assert.Contains("data.tar.xz", members);
        Assert.Contains("control.tar.xz", members);
    }
}
