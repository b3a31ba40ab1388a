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
        Assert.Equal(expectedLines.Select(x => x.line), config.Sources.Select(s => s.Line));
        Assert.Equal(
            expectedLines.Select(x => x.text),
            config.Sources.Select(s => $"{s.Types[0]} {s.Uris[0]} {s.Suites[0]} {string.Join(' ', s.Components)}"));
        Assert.All(config.Sources, s => Assert.Equal(("/etc/apt/sources.list", "one-line", true), (s.File, s.Format, s.Enabled)));

        var expectedKeyrings = Directory.GetFiles(Path.Combine(mount.MountPoint, "etc/apt/trusted.gpg.d"))
            .Order(StringComparer.Ordinal)
            .Select(f => (
                "/etc/apt/trusted.gpg.d/" + Path.GetFileName(f),
                new FileInfo(f).Length,
                Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))))
            .ToList();
        Assert.NotEmpty(expectedKeyrings);
        Assert.Equal(expectedKeyrings, config.Keyrings.Select(k => (k.Path, k.Size, k.Sha256!)));
        Assert.All(config.Keyrings, k => Assert.Equal(("openpgp-armored", "global"), (k.Format, Assert.Single(k.ReferencedBy))));
    }
}
