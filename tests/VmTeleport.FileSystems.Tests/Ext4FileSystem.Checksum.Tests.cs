using VmTeleport.FileSystems.Ext;

namespace VmTeleport.FileSystems.Tests;

/// <summary>metadata_csum: each kind of checksummed structure, damaged by one byte, is named in the error.</summary>
public sealed class Ext4FileSystemChecksumTests
{
    private const string Image = "ext4.img";

    [Fact]
    public void SuperBlock()
    {
        using var img = ExtImages.Copy(Image);
        img.Patch(0x478, "X"u8); // first byte of s_volume_name
        using var source = new RawFileSource(img.Path);
        var ex = Assert.Throws<InvalidDataException>(() => Ext4FileSystem.Open(source));
        Assert.Contains("ext4.img: superblock at 0x400 checksum", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupDescriptor()
    {
        using var img = ExtImages.Copy(Image);
        img.Patch(4096 + 0x14, [0x77]); // bg_exclude_bitmap_lo of group 0, in block 1
        using var source = new RawFileSource(img.Path);
        var ex = Assert.Throws<InvalidDataException>(() => Ext4FileSystem.Open(source));
        Assert.Contains("ext4.img: group descriptor 0 (block 1, offset 0x1000) checksum", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtentBlock()
    {
        using var img = ExtImages.Copy(Image);
        ulong block;
        uint inode;
        using (var source = new RawFileSource(img.Path))
        using (var fs = Ext4FileSystem.Open(source))
        {
            inode = (uint)fs.GetEntry("/fragmented.bin").Inode;
            var root = fs.ReadInode(inode);
            Assert.Equal(1, BitConverter.ToUInt16(root.IBlock[6..8]));
            block = ExtentIndex.Parse(root.IBlock[12..]).ChildBlock;
        }

        var b = img.Read(((long)block * 4096) + 20, 1);
        img.Patch(((long)block * 4096) + 20, [(byte)(b[0] ^ 1)]);
        using var s2 = new RawFileSource(img.Path);
        using var fs2 = Ext4FileSystem.Open(s2);
        var ex = Assert.Throws<InvalidDataException>(() => TreeRecord.Sha256(fs2, fs2.GetEntry("/fragmented.bin")));
        Assert.Contains($"inode {inode} extent block {block} (tail at 0x", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void XattrBlock()
    {
        using var img = ExtImages.Copy(Image);
        ulong block;
        using (var source = new RawFileSource(img.Path))
        using (var fs = Ext4FileSystem.Open(source))
        {
            block = fs.ReadInode((uint)fs.GetEntry("/big-xattr").Inode).FileAcl;
            Assert.NotEqual(0UL, block);
        }

        var b = img.Read(((long)block * 4096) + 4000, 1);
        img.Patch(((long)block * 4096) + 4000, [(byte)(b[0] ^ 1)]);
        using var s2 = new RawFileSource(img.Path);
        using var fs2 = Ext4FileSystem.Open(s2);
        var ex = Assert.Throws<InvalidDataException>(() => fs2.GetEntry("/big-xattr"));
        Assert.Contains($"xattr block {block} (at 0x{block * 4096:x}) checksum", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerificationCanBeTurnedOff()
    {
        using var img = ExtImages.Copy(Image);
        img.Patch(0x478, "X"u8);
        using var source = new RawFileSource(img.Path);
        using var fs = Ext4FileSystem.Open(source, new Ext4OpenOptions { VerifyChecksums = false });
        Assert.Equal("Xxt4", fs.Label);
        Assert.Empty(fs.Warnings);
    }
}
