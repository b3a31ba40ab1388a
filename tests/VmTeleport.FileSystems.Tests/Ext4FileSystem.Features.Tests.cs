using VmTeleport.FileSystems.Ext;

namespace VmTeleport.FileSystems.Tests;

/// <summary>
/// The kernel comparison only proves something if the fixtures hold the features: pin that they
/// do, through the reader, so a builder change that drops one fails here.
/// </summary>
public sealed class Ext4FileSystemFeaturesTests
{
    [Theory]
    [InlineData("ext4.img")]
    [InlineData("ext4-1k.img")]
    [InlineData("ext3.img")]
    [InlineData("ext4-inline.img")]
    public void Fixture_HoldsEveryFeature(string image)
    {
        using var source = new RawFileSource(ExtImages.PathOf(image));
        using var fs = Ext4FileSystem.Open(source);
        var all = fs.Walk().ToDictionary(e => e.Path);
        Assert.Equal("259:1048575", Rdev(all["/char-big"]));
        Assert.Equal("4095:1048575", Rdev(all["/block-big"]));
        Assert.Equal(EntryType.Fifo, all["/fifo"].Type);
        Assert.Equal(EntryType.Socket, all["/socket"].Type);
        Assert.StartsWith("/a/much/longer/target/", all["/slow-symlink"].Target, StringComparison.Ordinal);
        Assert.Equal(new string('b', 60), all["/symlink-60"].Target);
        Assert.Equal(all["/small.txt"].Inode, all["/dir/another-hardlink"].Inode);
        Assert.Equal(3u, all["/small.txt"].LinkCount);
        Assert.Equal(0x9ED, all["/setuid"].Mode);
        Assert.Equal(0x3FF, all["/sticky-dir"].Mode);
        Assert.Equal(4000000000u, all["/big-ids"].Uid);
        Assert.Equal(5L << 30, all["/huge-sparse.bin"].Size);
        Assert.Equal(1700000000_123456789L, all["/nanos"].MtimeNs);
        Assert.Equal(-315619200_250000000L, all["/y1960"].MtimeNs);
        Assert.Equal(8835984000_000000000L, all["/y2250"].MtimeNs);
        Assert.Equal(0x10u, all["/immutable"].Flags & 0x10u);
        if (image != "ext3.img")
        {
            Assert.Empty(fs.GetDataRanges(all["/prealloc"]));
            Assert.Single(fs.GetDataRanges(all["/prealloc-mixed"]));
        }
        foreach (var (path, name) in new[]
        {
            ("/cap-file", "security.capability"), ("/acl-file", "system.posix_acl_access"),
            ("/acl-dir", "system.posix_acl_access"), ("/acl-dir", "system.posix_acl_default"),
            ("/xattrs.txt", "trusted.secret"), ("/xattrs.txt", "security.selinux"), ("/xattrs.txt", "user.empty"),
            ("/xattr-symlink", "trusted.link"), ("/big-xattr", "user.big"),
        })
        {
            Assert.Contains(name, all[path].ExtendedAttributes.Select(x => x.Name));
        }

        Assert.Equal(900, all["/big-xattr"].ExtendedAttributes.Single(x => x.Name == "user.big").Value.Length);
        Assert.True(all["/big"].Inode > 0 && fs.ListDirectory(all["/big"]).Count() == 3001);
    }

    [Fact]
    public void Ext4_HasExtentTreesOfDepthOne_And1KHasDepthTwo()
    {
        foreach (var (image, depth) in new[] { ("ext4.img", 1), ("ext4-1k.img", 2) })
        {
            using var source = new RawFileSource(ExtImages.PathOf(image));
            using var fs = Ext4FileSystem.Open(source);
            var inode = fs.ReadInode((uint)fs.GetEntry("/fragmented.bin").Inode);
            Assert.Equal(depth, BitConverter.ToUInt16(inode.IBlock[6..8]));
        }
    }

    [Fact]
    public void EaInode_ValueIsRead()
    {
        using var source = new RawFileSource(ExtImages.PathOf("ext4-eainode.img"));
        using var fs = Ext4FileSystem.Open(source);
        var e = fs.GetEntry("/ea-inode-file");
        Assert.Equal(12000, e.ExtendedAttributes.Single(x => x.Name == "user.huge").Value.Length);
        Assert.Contains("ea_inode", fs.Features);
    }

    private static string Rdev(FileSystemEntry e) => $"{e.RdevMajor}:{e.RdevMinor}";
}
