using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.Disks.Tests;

/// <summary>Partition tables read exactly as `sfdisk --json` shows them.</summary>
public sealed class PartitionTableSfdiskTests
{
    [Theory]
    [InlineData("mbr.raw", "mbr.raw")]
    [InlineData("mbr.qcow2", "mbr.raw")]
    [InlineData("gpt.raw", "gpt.raw")]
    [InlineData("gpt.qcow2", "gpt.raw")]
    public void Partitions_equal_sfdisk(string image, string rawTwin)
    {
        using var disk = DiskImage.Open(DiskFixtures.Path(image));
        var table = PartitionTable.Read(disk);
        using var doc = JsonDocument.Parse(ExternalCommand.Check("sfdisk", "--json", DiskFixtures.Path(rawTwin)));
        var pt = doc.RootElement.GetProperty("partitiontable");
        string label = pt.GetProperty("label").GetString()!;
        var expected = pt.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(expected.Count, table.Partitions.Count);
        Assert.Empty(table.Notes);
        if (label == "dos")
        {
            Assert.Equal(PartitionScheme.Mbr, table.Scheme);
            Assert.Equal(Convert.ToUInt32(pt.GetProperty("id").GetString(), 16), table.MbrSignature);
        }
        else
        {
            Assert.Equal(PartitionScheme.Gpt, table.Scheme);
            Assert.Equal(Guid.Parse(pt.GetProperty("id").GetString()!), table.DiskGuid);
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var p = table.Partitions[i];
            string node = e.GetProperty("node").GetString()!;
            Assert.Equal(int.Parse(node[DiskFixtures.Path(rawTwin).Length..], System.Globalization.CultureInfo.InvariantCulture), p.Number);
            Assert.Equal(e.GetProperty("start").GetInt64() * 512, p.Offset);
            Assert.Equal(e.GetProperty("size").GetInt64() * 512, p.Length);
            string type = e.GetProperty("type").GetString()!;
            if (label == "dos")
            {
                Assert.Equal(Convert.ToByte(type, 16), p.MbrType);
                Assert.Equal(e.TryGetProperty("bootable", out var b) && b.GetBoolean(), p.Bootable);
                Assert.Equal(p.Number >= 5, p.IsLogical);
            }
            else
            {
                Assert.Equal(Guid.Parse(type), p.TypeGuid);
                Assert.Equal(Guid.Parse(e.GetProperty("uuid").GetString()!), p.PartitionGuid);
                Assert.Equal(e.TryGetProperty("name", out var n) ? n.GetString() : string.Empty, p.Name);
                Assert.Equal(e.TryGetProperty("attrs", out var a) ? ParseAttrs(a.GetString()!) : 0UL, p.Attributes);
            }
        }
    }

    [Fact]
    public void The_gpt_fixture_has_its_names_and_attributes()
    {
        using var disk = DiskImage.Open(DiskFixtures.Path("gpt.raw"));
        var table = PartitionTable.Read(disk);
        Assert.Equal(["bios boot", "root", "swap", "data ünïcode"], table.Partitions.Select(p => p.Name));
        Assert.Equal((1UL << 0) | (1UL << 60) | (1UL << 63), table.Partitions[1].Attributes);
        Assert.Equal(1UL << 2, table.Partitions[0].Attributes);
    }

    [Fact]
    public void The_mbr_fixture_numbers_logical_partitions_from_5()
    {
        using var disk = DiskImage.Open(DiskFixtures.Path("mbr.raw"));
        var table = PartitionTable.Read(disk);
        Assert.Equal([1, 2, 3, 5, 6, 7], table.Partitions.Select(p => p.Number));
        Assert.Equal(16384L * 512, table.Partitions.Single(p => p.Number == 5).Offset);
    }

    [Fact]
    public void A_bare_filesystem_has_no_table()
    {
        using var disk = DiskImage.Open(DiskFixtures.Path("bare-ext4.raw"));
        var table = PartitionTable.Read(disk);
        Assert.Equal(PartitionScheme.None, table.Scheme);
        Assert.Empty(table.Partitions);
    }

    [Fact]
    public void Partitions_contain_the_ext4_filesystems()
    {
        // ext4's superblock magic 0xEF53 at byte 1024 + 56 of the partition.
        using var disk = DiskImage.Open(DiskFixtures.Path("gpt.qcow2"));
        var root = PartitionTable.Read(disk).Partitions.Single(p => p.Name == "root");
        using var slice = new BlockSlice(disk, root.Offset, root.Length, "gpt.qcow2 partition 2");
        var magic = new byte[2];
        slice.ReadAt(1024 + 56, magic);
        Assert.Equal(new byte[] { 0x53, 0xEF }, magic);
    }

    /// <summary>sfdisk's attrs: "RequiredPartition", "NoBlockIOProtocol", "LegacyBIOSBootable", "GUID:60,63".</summary>
    private static ulong ParseAttrs(string attrs)
    {
        ulong bits = 0;
        foreach (var token in attrs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            bits |= token switch
            {
                "RequiredPartition" => 1UL << 0,
                "NoBlockIOProtocol" => 1UL << 1,
                "LegacyBIOSBootable" => 1UL << 2,
                _ when token.StartsWith("GUID:", StringComparison.Ordinal) =>
                    token[5..].Split(',').Aggregate(0UL, (acc, b) => acc | (1UL << int.Parse(b, System.Globalization.CultureInfo.InvariantCulture))),
                _ => throw new FormatException($"unknown sfdisk attribute {token}"),
            };
        }

        return bits;
    }
}
