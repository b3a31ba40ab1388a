using System.Buffers.Binary;
using VmTeleport.TestSupport;

namespace VmTeleport.Disks.Tests;

/// <summary>Damaged partition tables: a backup GPT is used with a note; what cannot be read fails naming disk and offset.</summary>
public sealed class PartitionTableCorruptTests : IDisposable
{
    private readonly string _dir = DiskFixtures.Scratch();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bad_primary_gpt_crc_falls_back_to_the_backup()
    {
        string path = Copy("gpt.raw");
        Qcow2ImageCorruptTests.Patch(path, 512 + 60, [0x42]); // inside the disk GUID, covered by the header CRC
        using var disk = DiskImage.Open(path);
        var table = PartitionTable.Read(disk);
        Assert.Equal(PartitionScheme.Gpt, table.Scheme);
        Assert.Equal(4, table.Partitions.Count);
        var note = Assert.Single(table.Notes);
        Assert.Contains("backup", note, StringComparison.Ordinal);
        Assert.Contains("CRC32", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_entry_array_crc_falls_back_to_the_backup()
    {
        string path = Copy("gpt.raw");
        Qcow2ImageCorruptTests.Patch(path, 1024 + 56, [0x41]); // first entry's name
        using var disk = DiskImage.Open(path);
        var table = PartitionTable.Read(disk);
        Assert.Equal("bios boot", table.Partitions[0].Name);
        Assert.Contains("entry array at 0x400", Assert.Single(table.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Both_gpt_headers_bad_is_invalid_data()
    {
        string path = Copy("gpt.raw");
        long last = new FileInfo(path).Length - 512;
        Qcow2ImageCorruptTests.Patch(path, 512 + 60, [0x42]);
        Qcow2ImageCorruptTests.Patch(path, last + 60, [0x42]);
        using var disk = DiskImage.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => PartitionTable.Read(disk));
        Assert.Contains("gpt.raw", e.Message, StringComparison.Ordinal);
        Assert.Contains("0x200", e.Message, StringComparison.Ordinal);
        Assert.Contains("CRC32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ebr_loop_is_detected()
    {
        string path = Copy("mbr.raw");
        // The extended partition starts at sector 14336; make the last EBR's "next" record point back to the first.
        long ebr = 14336;
        while (true)
        {
            var sector = Read(path, ebr * 512, 512);
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(446 + 16 + 8));
            if (sector[446 + 16 + 4] == 0)
            {
                var link = new byte[16];
                link[4] = 0x05;
                BinaryPrimitives.WriteUInt32LittleEndian(link.AsSpan(8), 0);
                BinaryPrimitives.WriteUInt32LittleEndian(link.AsSpan(12), 2048);
                Qcow2ImageCorruptTests.Patch(path, (ebr * 512) + 446 + 16, link);
                break;
            }

            ebr = 14336 + next;
        }

        using var disk = DiskImage.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => PartitionTable.Read(disk));
        Assert.Contains("loops", e.Message, StringComparison.Ordinal);
        Assert.Contains($"0x{14336 * 512:x}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partition_past_the_end_of_the_disk_is_invalid_data()
    {
        string path = Copy("mbr.raw");
        var count = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(count, 0x7fff_ffff);
        Qcow2ImageCorruptTests.Patch(path, 446 + 12, count);
        using var disk = DiskImage.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => PartitionTable.Read(disk));
        Assert.Contains("outside the disk", e.Message, StringComparison.Ordinal);
        Assert.Contains("0x1be", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_gpt_disk_is_invalid_data()
    {
        // Cut the disk: the backup is gone and the primary describes sectors the disk no longer has.
        string path = Copy("gpt.raw");
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            f.SetLength(20 << 20);
        }

        using var disk = DiskImage.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => PartitionTable.Read(disk));
        Assert.Contains("gpt.raw", e.Message, StringComparison.Ordinal);
    }

    private string Copy(string fixture)
    {
        string path = Path.Combine(_dir, fixture);
        ExternalCommand.Check("cp", "--sparse=always", DiskFixtures.Path(fixture), path);
        return path;
    }

    private static byte[] Read(string path, long offset, int count)
    {
        using var f = File.OpenRead(path);
        var b = new byte[count];
        RandomAccess.Read(f.SafeFileHandle, b, offset);
        return b;
    }
}
