using System.Buffers.Binary;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests.Boot;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>Exact piece boundaries on disks assembled in memory, holes, and damaged boot code.</summary>
public sealed class BootloaderProbeRegionsTests
{
    private const int Sector = 512;

    [Fact]
    public void Gap_piece_spans_every_non_zero_byte_and_reads_no_hole()
    {
        var core = CoreImage();
        var bytes = new byte[2 << 20];
        MbrWithOnePartition(bytes, startSector: 2048);
        File.ReadAllBytes("/usr/lib/grub/i386-pc/boot.img").AsSpan(0, 440).CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(0x5c), 1);
        core.CopyTo(bytes, Sector);
        // Something else in the gap (another tool's data, say) at 512 KiB: 7 bytes, the last one at 0x80006.
        "stray!!"u8.CopyTo(bytes.AsSpan(0x80000));
        long coreData = (Sector + core.Length + 4095) / 4096 * 4096;
        using var disk = new SparseBlockSource(bytes, [(0, coreData), (0x80000, 4096), (2048 * Sector, 4096)]);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk, PartitionTable.Read(disk), [], null, problems);

        Assert.Empty(problems);
        var gap = boot.Pieces.Single(p => p.Location == "post-mbr-gap");
        Assert.Equal((512L, 0x80007L - 512), (gap.Offset, gap.Length));
        long coreEnd = Sector + ((core.Length + Sector - 1) / Sector * Sector);
        Assert.EndsWith($"non-zero data goes on {0x80007 - coreEnd} bytes past its sectors", gap.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(disk.Reads, r => r.Offset >= coreData && r.Offset < 0x80000);
    }

    [Fact]
    public void Damaged_boot_sectors_and_core_images_never_throw()
    {
        var original = new byte[2 << 20];
        using (var f = File.OpenRead(Fixtures.Path("debian", "debian12.raw")))
        {
            f.ReadExactly(original);
        }

        var random = new Random(20261125);
        var kinds = new HashSet<string>();
        for (int i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            int flips = random.Next(1, 16);
            for (int j = 0; j < flips; j++)
            {
                // Mostly in sector 0 and diskboot/lzma_decompress headers, sometimes anywhere in the gap.
                int at = random.Next(3) switch { 0 => random.Next(512), 1 => random.Next(512, 1536), _ => random.Next(bytes.Length) };
                bytes[at] = (byte)random.Next(256);
            }

            using var disk = new MemoryBlockSource(bytes, $"damaged-{i}.raw");
            PartitionTable table;
            try
            {
                table = PartitionTable.Read(disk);
            }
            catch (InvalidDataException)
            {
                continue; // the table reader refuses it; nothing for the probe to look at
            }

            var problems = new List<string>();
            var boot = BootloaderProbe.Detect(disk, table, Array.Empty<(Partition, IFileSystem?)>(), null, problems);
            kinds.Add(boot.Kind);
            Assert.Contains(boot.Kind, new[] { "grub-bios", "syslinux", "none", "unknown" });
            Assert.All(boot.Pieces, p => Assert.True(p.Offset >= 0 && p.Length > 0 && p.Offset + p.Length <= disk.Length, $"{p.Location} {p.Offset}+{p.Length}"));
        }

        Assert.Contains("grub-bios", kinds);
        Assert.Contains("unknown", kinds);
    }

    [Fact]
    public void A_core_img_without_boot_code_in_sector_0_is_reported()
    {
        var bytes = new byte[2 << 20];
        MbrWithOnePartition(bytes, startSector: 2048);
        CoreImage().CopyTo(bytes, Sector);
        using var disk = new MemoryBlockSource(bytes, "headless.raw");
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk, PartitionTable.Read(disk), [], null, problems);

        Assert.Equal(("unknown", (string?)null), (boot.Kind, boot.Firmware));
        Assert.Equal("post-mbr-gap", Assert.Single(boot.Pieces).Location);
        Assert.Equal(["headless.raw: a GRUB core.img is on the disk but sector 0 holds no boot code, so a BIOS would not start it"], problems);
    }

    /// <summary>One Linux partition from <paramref name="startSector"/> to the end, and the 0x55AA signature.</summary>
    private static void MbrWithOnePartition(byte[] disk, uint startSector)
    {
        var entry = disk.AsSpan(0x1be, 16);
        entry[4] = 0x83;
        BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], startSector);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)(disk.Length / Sector) - startSector);
        disk[510] = 0x55;
        disk[511] = 0xAA;
    }

    private static byte[] CoreImage()
    {
        var dir = Directory.CreateTempSubdirectory("vmt-core-").FullName;
        try
        {
            var path = Path.Combine(dir, "core.img");
            ExternalCommand.Check("grub-mkimage", "-O", "i386-pc", "-o", path, "-p", "(hd0,msdos1)/boot/grub", "biosdisk", "part_msdos", "ext2");
            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
