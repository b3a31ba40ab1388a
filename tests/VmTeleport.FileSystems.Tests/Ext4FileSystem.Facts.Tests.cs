using VmTeleport.FileSystems.Ext;
using VmTeleport.TestSupport;

namespace VmTeleport.FileSystems.Tests;

/// <summary>The superblock facts later steps rebuild a filesystem from, against dumpe2fs.</summary>
public sealed class Ext4FileSystemFactsTests
{
    public static TheoryData<string> Images => [.. ExtImages.All];

    [Theory]
    [MemberData(nameof(Images))]
    public void Facts_MatchDumpe2fs(string image)
    {
        var path = ExtImages.PathOf(image);
        var dump = ExternalCommand.Check("dumpe2fs", "-h", path).Split('\n')
            .Where(l => l.Contains(':', StringComparison.Ordinal))
            .GroupBy(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim())
            .ToDictionary(g => g.Key, g => g.First()[(g.First().IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        using var source = new RawFileSource(path);
        using var fs = Ext4FileSystem.Open(source);
        Assert.Equal(dump["Filesystem UUID"], fs.Uuid.ToString());
        Assert.Equal(dump["Filesystem volume name"], fs.Label);
        Assert.Equal(dump["Filesystem features"], string.Join(' ', fs.Features));
        Assert.Equal(dump["Block size"], fs.BlockSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(dump["Inode size"], fs.InodeSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(dump["Inode count"], fs.InodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(dump["Block count"], fs.BlockCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(dump["Directory Hash Seed"], fs.HashSeed.ToString());
        Assert.Equal(File.ReadAllText(path + ".blkid").Trim(), FileSystemProbe.Detect(source));
    }
}
