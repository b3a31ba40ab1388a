using System.Buffers.Binary;
using System.Diagnostics;
using VmTeleport.FileSystems.Ext;

namespace VmTeleport.FileSystems.Tests;

/// <summary>
/// Damaged copies of the fixtures: each must fail fast with an InvalidDataException (or
/// NotSupportedException) that names the structure and where it is. ext4-plain.img has no
/// checksums, so a structural patch is met by the structural check, not by a checksum.
/// </summary>
public sealed class Ext4FileSystemCorruptionTests
{
    private const string Plain = "ext4-plain.img";

    [Fact]
    public void BadMagic_IsRefusedNamingTheSuperblock()
    {
        using var img = ExtImages.Copy(Plain);
        img.Patch(0x438, [0x00, 0x00]);
        using var source = new RawFileSource(img.Path);
        Assert.Null(FileSystemProbe.Detect(source));
        var ex = Assert.Throws<InvalidDataException>(() => Ext4FileSystem.Open(source));
        Assert.Contains("superblock at 0x400 has magic 0x0000", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => FileSystemProbe.Open(source));
    }

    [Fact]
    public void ExtentLoop_IsDetected()
    {
        using var img = ExtImages.Copy(Plain);
        long inodeOffset, block;
        uint inode;
        int blockSize;
        using (var source = new RawFileSource(img.Path))
        using (var fs = Ext4FileSystem.Open(source))
        {
            inode = (uint)fs.GetEntry("/random-3m.bin").Inode;
            inodeOffset = fs.InodeOffset(inode);
            block = fs.PhysicalBlock(inode, 0);
            blockSize = fs.BlockSize;
        }

        // A depth-1 node in the file's first data block whose only index points to itself,
        // under a depth-2 root in i_block.
        img.Patch(block * blockSize, ExtentNode(depth: 1, max: (ushort)((blockSize - 12) / 12), child: block));
        img.Patch(inodeOffset + 0x28, ExtentNode(depth: 2, max: 4, child: block));
        var ex = AssertFast<InvalidDataException>(img, fs => Hash(fs, "/random-3m.bin"));
        Assert.Contains($"inode {inode} extent block {block}", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Contains("loop", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public void ExtentTreeTooDeep_IsRefused()
    {
        using var img = ExtImages.Copy(Plain);
        var (inode, offset) = Locate(img, "/odd-size.bin");
        img.Patch(offset + 0x28, ExtentNode(depth: 6, max: 4, child: 1234));
        var ex = AssertFast<InvalidDataException>(img, fs => Hash(fs, "/odd-size.bin"));
        Assert.Contains($"inode {inode} i_block: extent tree depth 6 exceeds 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtentPastTheFilesystem_IsRefused()
    {
        using var img = ExtImages.Copy(Plain);
        var (inode, offset) = Locate(img, "/odd-size.bin");
        var start = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(start, 0x7FFFFFF0);
        img.Patch(offset + 0x28 + 12 + 8, start); // ee_start_lo of the first leaf entry
        var ex = AssertFast<InvalidDataException>(img, fs => Hash(fs, "/odd-size.bin"));
        Assert.Contains($"inode {inode} i_block entry 0 points to blocks {0x7FFFFFF0}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryCycle_IsDetectedDuringTheWalk()
    {
        using var img = ExtImages.Copy(Plain);
        var (entry, dirInode) = FindDirent(img, "/dir/sub/deeper", "file", "/dir");
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(value, dirInode);
        img.Patch(entry, value);
        var ex = AssertFast<InvalidDataException>(img, fs => fs.Walk().Count());
        Assert.Contains($"directory /dir/sub/deeper/file is inode {dirInode}, a directory already walked (directory cycle)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InodeOutOfRange_IsRefused()
    {
        using var img = ExtImages.Copy(Plain);
        var (entry, _) = FindDirent(img, "/dir/sub/deeper", "file", "/dir");
        img.Patch(entry, [0xF0, 0xFF, 0xFF, 0x7F]);
        var ex = AssertFast<InvalidDataException>(img, fs => fs.Walk().Count());
        Assert.Contains("entry 'file' points to inode 2147483632, beyond s_inodes_count", ex.Message, StringComparison.Ordinal);
        Assert.Contains("directory inode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecLenZero_IsRefused()
    {
        using var img = ExtImages.Copy(Plain);
        var (entry, _) = FindDirent(img, "/dir/sub/deeper", "file", "/dir");
        img.Patch(entry + 4, [0, 0]);
        var ex = AssertFast<InvalidDataException>(img, fs => fs.Walk().Count());
        Assert.Matches(@"directory inode \d+ block \d+ \(logical 0, at 0x[0-9a-f]+\): directory entry at offset \d+ has rec_len 0", ex.Message);
    }

    [Fact]
    public void AbsurdSize_IsRefused()
    {
        using var img = ExtImages.Copy(Plain);
        var (inode, offset) = Locate(img, "/small.txt");
        img.Patch(offset + 0x6C, [0xFF, 0xFF, 0xFF, 0x7F]);
        var ex = AssertFast<InvalidDataException>(img, fs => fs.GetEntry("/small.txt"));
        Assert.Contains($"/small.txt (inode {inode}) has absurd size", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InodeChecksumMismatch_IsAnError_OrAWarningWhenAsked()
    {
        using var img = ExtImages.Copy("ext4.img");
        var (inode, offset) = Locate(img, "/small.txt");
        var uid = img.Read(offset + 2, 1);
        img.Patch(offset + 2, [(byte)(uid[0] ^ 0x5A)]);
        var ex = AssertFast<InvalidDataException>(img, fs => fs.GetEntry("/small.txt"));
        Assert.Contains($"ext4.img: inode {inode} at 0x{offset:x} checksum", ex.Message, StringComparison.Ordinal);

        using var source = new RawFileSource(img.Path);
        using var lenient = Ext4FileSystem.Open(source, new Ext4OpenOptions { ChecksumErrorsAsWarnings = true });
        Assert.Equal(0x5Au, lenient.GetEntry("/small.txt").Uid);
        Assert.Contains(lenient.Warnings, w => w.Contains($"inode {inode} at 0x{offset:x} checksum", StringComparison.Ordinal));
    }

    [Fact]
    public void DirectoryBlockChecksumMismatch_IsAnError()
    {
        using var img = ExtImages.Copy("ext4.img");
        var (entry, _) = FindDirent(img, "/dir/sub/deeper", "file", "/dir");
        img.Patch(entry + 8, "F"u8);
        var ex = AssertFast<InvalidDataException>(img, fs => fs.Walk().Count());
        Assert.Matches(@"directory inode \d+ block \d+ \(tail at 0x[0-9a-f]+\) checksum", ex.Message);
    }

    [Fact]
    public void UnknownIncompatFeature_IsNotSupportedNamingIt()
    {
        using var img = ExtImages.Copy(Plain);
        var incompat = BinaryPrimitives.ReadUInt32LittleEndian(img.Read(0x460, 4)) | 0x1 | 0x800000;
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, incompat);
        img.Patch(0x460, b);
        using var source = new RawFileSource(img.Path);
        var ex = Assert.Throws<NotSupportedException>(() => Ext4FileSystem.Open(source));
        Assert.Contains("compression, FEATURE_I23", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptedDirectory_IsNotSupportedNamingThePath()
    {
        using var img = ExtImages.Copy(Plain);
        var (_, offset) = Locate(img, "/dir/sub");
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(img.Read(offset + 0x20, 4)) | 0x800;
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, flags);
        img.Patch(offset + 0x20, b);
        using var source = new RawFileSource(img.Path);
        using var fs = Ext4FileSystem.Open(source);
        var ex = Assert.Throws<NotSupportedException>(() => fs.Walk().Count());
        Assert.Contains("directory /dir/sub", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsRecovery_OpensWithAWarning()
    {
        using var source = new RawFileSource(ExtImages.PathOf("ext4-recovery.img"));
        using var fs = FileSystemProbe.Open(source);
        Assert.Contains("ext4-recovery.img: filesystem needs journal recovery; reading the last checkpointed state", fs.Warnings);
        using var clean = new RawFileSource(ExtImages.PathOf("ext4.img"));
        Assert.Empty(FileSystemProbe.Open(clean).Warnings);
    }

    private static byte[] ExtentNode(ushort depth, ushort max, long child)
    {
        var b = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(b, 0xF30A);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), max);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), depth);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), (uint)child);
        return b;
    }

    private static (uint Inode, long Offset) Locate(TempImage img, string path)
    {
        using var source = new RawFileSource(img.Path);
        using var fs = Ext4FileSystem.Open(source);
        var inode = (uint)fs.GetEntry(path).Inode;
        return (inode, fs.InodeOffset(inode));
    }

    /// <summary>The byte offset of the dirent named <paramref name="name"/> in the first block of <paramref name="dir"/>, and the inode of <paramref name="other"/>.</summary>
    private static (long Entry, uint OtherInode) FindDirent(TempImage img, string dir, string name, string other)
    {
        using var source = new RawFileSource(img.Path);
        using var fs = Ext4FileSystem.Open(source);
        var block = fs.PhysicalBlock((uint)fs.GetEntry(dir).Inode, 0);
        var data = img.Read(block * fs.BlockSize, fs.BlockSize);
        for (var o = 0; o < data.Length;)
        {
            var recLen = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(o + 4));
            if (data[o + 6] == name.Length && data.AsSpan(o + 8, name.Length).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(name)))
            {
                return ((block * fs.BlockSize) + o, (uint)fs.GetEntry(other).Inode);
            }

            o += recLen;
        }

        throw new InvalidOperationException($"no {name} in {dir}");
    }

    private static string Hash(IFileSystem fs, string path) => TreeRecord.Sha256(fs, fs.GetEntry(path));

    private static T AssertFast<T>(TempImage img, Func<IFileSystem, object> action)
        where T : Exception
    {
        var watch = Stopwatch.StartNew();
        using var source = new RawFileSource(img.Path);
        using var fs = Ext4FileSystem.Open(source);
        var ex = Assert.Throws<T>(() => action(fs));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        return ex;
    }
}
