using System.Buffers.Binary;
using System.Diagnostics;
using VmTeleport.TestSupport;

namespace VmTeleport.Disks.Tests;

/// <summary>Hostile qcow2 inputs, made by patching copies of fixtures: each fails fast with the documented exception.</summary>
public sealed class Qcow2ImageCorruptTests : IDisposable
{
    private readonly string _dir = DiskFixtures.Scratch();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void L2_entry_past_the_end_of_the_file()
    {
        string path = Copy("v3.qcow2");
        ulong l2 = ReadU64(path, (long)ReadU64(path, 40)) & 0x00ff_ffff_ffff_fe00UL;
        WriteU64(path, (long)l2, (1UL << 63) | 0x10_0000_0000UL);
        using var image = DiskImage.Open(path);
        var e = Fails<InvalidDataException>(() => image.ReadAt(0, new byte[4096]));
        Assert.Contains("past the end", e.Message, StringComparison.Ordinal);
        Assert.Contains("0x1000000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void L2_entry_pointing_into_the_header()
    {
        string path = Copy("v3.qcow2");
        ulong l2 = ReadU64(path, (long)ReadU64(path, 40)) & 0x00ff_ffff_ffff_fe00UL;
        ulong l1 = ReadU64(path, 40);
        WriteU64(path, (long)l2 + 8, (1UL << 63) | l1);
        using var image = DiskImage.Open(path);
        var e = Fails<InvalidDataException>(() => image.ReadAt(65536, new byte[4096]));
        Assert.Contains("0x10000", e.Message, StringComparison.Ordinal);
        Assert.Contains("metadata", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void L2_table_overlapping_the_l1_table()
    {
        string path = Copy("v3.qcow2");
        ulong l1 = ReadU64(path, 40);
        WriteU64(path, (long)l1, (1UL << 63) | l1);
        using var image = DiskImage.Open(path);
        var e = Fails<InvalidDataException>(() => image.ReadAt(0, new byte[512]));
        Assert.Contains($"L2 table at 0x{l1:x} overlaps the header or the L1 table", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_table_past_the_end_of_the_file()
    {
        string path = Copy("snap.qcow2");
        WriteU64(path, 64, 0x20_0000_0000UL);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path));
        Assert.Contains("snapshot table at 0x2000000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_entry_running_past_the_end_of_the_file()
    {
        string path = Copy("snap.qcow2");
        long table = (long)ReadU64(path, 64);
        var size = new byte[] { 0xff, 0xff };
        Patch(path, table + 14, size); // name_size 65535
        Patch(path, table + 12, size); // id_str_size 65535
        using var current = DiskImage.Open(path); // the current state does not need the table
        Assert.True(current.Length > 0);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path + "@first"));
        Assert.Contains($"snapshot table entry", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void L1_table_past_the_end_of_the_file()
    {
        string path = Copy("v3.qcow2");
        WriteU64(path, 40, 0x10_0000_0000UL);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path));
        Assert.Contains("L1 table at 0x1000000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void L1_table_misaligned()
    {
        string path = Copy("v3.qcow2");
        WriteU64(path, 40, ReadU64(path, 40) + 8);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path));
        Assert.Contains("not aligned", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_bits_40()
    {
        string path = Copy("v3.qcow2");
        WriteU32(path, 20, 40);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path));
        Assert.Contains("cluster_bits 40", e.Message, StringComparison.Ordinal);
        Assert.Contains("0x14", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_l1_size()
    {
        string path = Copy("v3.qcow2");
        WriteU32(path, 36, 0x7fff_ffff);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path));
        Assert.Contains("absurdly large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void L1_too_small_for_the_virtual_size()
    {
        string path = Copy("v3.qcow2");
        WriteU64(path, 24, 1UL << 50);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path));
        Assert.Contains("l1_size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_virtual_size()
    {
        string path = Copy("v3.qcow2");
        WriteU64(path, 24, 1UL << 60);
        var e = Fails<InvalidDataException>(() => DiskImage.Open(path));
        Assert.Contains("absurd", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypted_images_are_not_supported()
    {
        string path = Copy("v3.qcow2");
        WriteU32(path, 32, 1);
        var e = Fails<NotSupportedException>(() => DiskImage.Open(path));
        Assert.Contains("encrypted qcow2 images are not supported (crypt_method=1 AES)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_bit_is_invalid_data_and_dirty_bit_is_fine()
    {
        string path = Copy("v3.qcow2");
        WriteU64(path, 72, 1);
        using (var dirty = DiskImage.Open(path))
        {
            Assert.Equal(DiskFixtures.QemuRawSha256(DiskFixtures.Path("v3.qcow2")).Sha256, DiskFixtures.Sha256(dirty));
        }

        WriteU64(path, 72, 2);
        Fails<InvalidDataException>(() => DiskImage.Open(path));
    }

    [Fact]
    public void External_data_file_and_unknown_feature_bits_are_not_supported()
    {
        string path = Copy("v3.qcow2");
        WriteU64(path, 72, 4);
        Assert.Contains("external data file", Fails<NotSupportedException>(() => DiskImage.Open(path)).Message, StringComparison.Ordinal);
        WriteU64(path, 72, 1UL << 10);
        Assert.Contains("bit 10", Fails<NotSupportedException>(() => DiskImage.Open(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressed_cluster_with_garbage_is_invalid_data()
    {
        string path = Copy("zlib.qcow2");
        // Overwrite the first compressed payload with noise (qemu stores incompressible clusters plainly).
        ulong l2 = ReadU64(path, (long)ReadU64(path, 40)) & 0x00ff_ffff_ffff_fe00UL;
        int index = Enumerable.Range(0, 128).First(i => (ReadU64(path, (long)l2 + (i * 8)) & (1UL << 62)) != 0);
        ulong entry = ReadU64(path, (long)l2 + (index * 8));
        long host = (long)(entry & ((1UL << 54) - 1));
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            f.Position = host;
            f.Write(Enumerable.Repeat((byte)0xff, 64).ToArray());
        }

        using var image = DiskImage.Open(path);
        var e = Fails<InvalidDataException>(() => image.ReadAt(index * 65536L, new byte[512]));
        Assert.Contains("compressed cluster", e.Message, StringComparison.Ordinal);
        Assert.Contains($"0x{host:x}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_image()
    {
        string path = Copy("v3.qcow2");
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            f.SetLength(f.Length / 2);
        }

        var e = Fails<InvalidDataException>(() =>
        {
            using var image = DiskImage.Open(path);
            DiskFixtures.Sha256(image);
        });
        Assert.Contains("past the end", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(path), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cyclic_backing_chain()
    {
        string a = Path.Combine(_dir, "a.qcow2");
        string b = Path.Combine(_dir, "b.qcow2");
        ExternalCommand.Check("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", "b.qcow2", "-F", "qcow2", a, "1M");
        ExternalCommand.Check("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", "a.qcow2", "-F", "qcow2", b, "1M");
        var e = Fails<InvalidDataException>(() => DiskImage.Open(a));
        Assert.Contains("cyclic", e.Message, StringComparison.Ordinal);
        Assert.Contains("b.qcow2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backing_chain_too_deep()
    {
        string previous = Path.Combine(_dir, "d0.raw");
        File.WriteAllBytes(previous, new byte[65536]);
        for (int i = 1; i <= DiskImage.MaxChainDepth + 1; i++)
        {
            string next = Path.Combine(_dir, $"d{i}.qcow2");
            ExternalCommand.Check("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", Path.GetFileName(previous), "-F", i == 1 ? "raw" : "qcow2", next, "64K");
            previous = next;
        }

        var e = Fails<InvalidDataException>(() => DiskImage.Open(previous));
        Assert.Contains("deeper than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_backing_file_names_it_and_its_referrer()
    {
        string top = Path.Combine(_dir, "top.qcow2");
        ExternalCommand.Check("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", "gone.qcow2", "-F", "qcow2", top, "1M");
        var e = Fails<FileNotFoundException>(() => DiskImage.Open(top));
        Assert.Contains("gone.qcow2", e.Message, StringComparison.Ordinal);
        Assert.Contains(top, e.Message, StringComparison.Ordinal);
    }

    private static T Fails<T>(Action action)
        where T : Exception
    {
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<T>(action);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        return e;
    }

    private static T Fails<T>(Func<object> action)
        where T : Exception => Fails<T>(() => { action(); });

    private string Copy(string fixture)
    {
        string path = Path.Combine(_dir, Path.GetFileName(fixture));
        File.Copy(DiskFixtures.Path(fixture), path);
        return path;
    }

    private static ulong ReadU64(string path, long offset)
    {
        using var f = File.OpenRead(path);
        var b = new byte[8];
        RandomAccess.Read(f.SafeFileHandle, b, offset);
        return BinaryPrimitives.ReadUInt64BigEndian(b);
    }

    private static void WriteU64(string path, long offset, ulong value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        Patch(path, offset, b);
    }

    private static void WriteU32(string path, long offset, uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        Patch(path, offset, b);
    }

    internal static void Patch(string path, long offset, byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(f.SafeFileHandle, bytes, offset);
    }
}
