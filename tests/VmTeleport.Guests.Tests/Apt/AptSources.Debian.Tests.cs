using System.Security.Cryptography;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests.Apt;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Apt;

/// <summary>The real Debian 12 fixture against the kernel's view of the same files.</summary>
[Collection(LoopMountCollection.Name)]
public sealed class AptSourcesDebianTests
{
    private const long RootOffset = 2048 * 512;

    [Fact]
    public void Sources_and_keyrings_of_the_Debian_guest_match_the_mounted_image()
    {
        var raw = Fixtures.Path("debian", "debian12.qcow2");
        using var disk = DiskImage.Open(raw);
        using var slice = new BlockSlice(disk, RootOffset, disk.Length - RootOffset, "debian12.qcow2 partition 1");
        using var fs = FileSystemProbe.Open(slice);
        var problems = new List<string>();

        var config = AptSources.Read(fs, problems);

        Assert.Empty(problems);
        using var mount = LoopMount.Raw(Fixtures.Path("debian", "debian12.raw"), RootOffset);
        var expectedLines = File.ReadAllLines(Path.Combine(mount.MountPoint, "etc/apt/sources.list"))
            .Select((text, i) => (text, line: i + 1))
            .Where(x => x.text.StartsWith("deb ", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(3, expectedLines.Count);
        var main = config.Sources.Where(s => s.File == "/etc/apt/sources.list").ToList();
        Assert.Equal(expectedLines.Select(x => x.line), main.Select(s => s.Line));
        Assert.Equal(
            expectedLines.Select(x => x.text),
            main.Select(s => $"{s.Types[0]} {s.Uris[0]} {s.Suites[0]} {string.Join(' ', s.Components)}"));
        Assert.All(main, s => Assert.Equal(("one-line", true), (s.Format, s.Enabled)));

        // The third-party repository the fixture adds in both formats, each with its keyring.
        var extra = Assert.Single(config.Sources, s => s.File == "/etc/apt/sources.list.d/vmteleport-extra.sources");
        Assert.Equal(("deb822", "http://apt.fixture.example/debian", "bookworm"), (extra.Format, extra.Uris.Single(), extra.Suites.Single()));
        Assert.Equal(["main", "contrib"], extra.Components);
        Assert.Equal(["/etc/apt/keyrings/vmteleport-extra.gpg"], extra.SignedBy);
        var legacy = Assert.Single(config.Sources, s => s.File == "/etc/apt/sources.list.d/legacy.list");
        Assert.Equal(("one-line", "http://legacy.fixture.example/debian"), (legacy.Format, legacy.Uris.Single()));
        Assert.Equal(["/usr/share/keyrings/debian-archive-keyring.gpg"], legacy.SignedBy);
        Assert.Equal(5, config.Sources.Count);

        var expectedKeyrings = Directory.GetFiles(Path.Combine(mount.MountPoint, "etc/apt/trusted.gpg.d"))
            .Order(StringComparer.Ordinal)
            .Select(f => (
                "/etc/apt/trusted.gpg.d/" + Path.GetFileName(f),
                new FileInfo(f).Length,
                Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))))
            .ToList();
        Assert.NotEmpty(expectedKeyrings);
        var global = config.Keyrings.Where(k => k.ReferencedBy.Contains("global")).ToList();
        Assert.Equal(expectedKeyrings, global.Select(k => (k.Path, k.Size, k.Sha256!)));
        Assert.All(global, k => Assert.Equal(("openpgp-armored", "global"), (k.Format, Assert.Single(k.ReferencedBy))));
        foreach (var (path, source) in new[] { ("/etc/apt/keyrings/vmteleport-extra.gpg", extra.File), ("/usr/share/keyrings/debian-archive-keyring.gpg", legacy.File) })
        {
            var k = Assert.Single(config.Keyrings, k => k.Path == path);
            var onDisk = File.ReadAllBytes(mount.MountPoint + path);
            Assert.Equal((onDisk.LongLength, Convert.ToHexStringLower(SHA256.HashData(onDisk))), (k.Size, k.Sha256!));
            Assert.Contains(source, k.ReferencedBy);
        }
    }
}
