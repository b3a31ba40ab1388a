using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.Disks.Tests;

/// <summary>Volumes as manifests number them: 0 the whole disk, N partition N, with sfdisk as the oracle for where N lies.</summary>
public sealed class PartitionTableVolumeTests
{
    [Theory]
    [InlineData("mbr.qcow2", "mbr.raw")]
    [InlineData("gpt.qcow2", "gpt.raw")]
    public void Each_volume_is_its_partition_and_0_the_whole_disk(string image, string rawTwin)
    {
        using var disk = DiskImage.Open(DiskFixtures.Path(image));
        var table = PartitionTable.Read(disk);
        using var doc = JsonDocument.Parse(ExternalCommand.Check("sfdisk", "--json", DiskFixtures.Path(rawTwin)));
        var parts = doc.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray().ToList();
        Assert.NotEmpty(parts);
        Assert.Same(disk, table.Volume(disk, 0));
        for (int i = 0; i < table.Partitions.Count; i++)
        {
            var volume = table.Volume(disk, table.Partitions[i].Number);
            Assert.Equal(parts[i].GetProperty("size").GetInt64() * 512, volume.Length);
            // The slice starts where sfdisk says: its first bytes are the disk's bytes at that offset.
            var expected = new byte[4096];
            var actual = new byte[4096];
            disk.ReadAt(parts[i].GetProperty("start").GetInt64() * 512, expected);
            volume.ReadAt(0, actual);
            Assert.Equal(expected, actual);
        }

        var e = Assert.Throws<InvalidDataException>(() => table.Volume(disk, 99));
        Assert.Contains("no partition 99", e.Message, StringComparison.Ordinal);
    }
}
