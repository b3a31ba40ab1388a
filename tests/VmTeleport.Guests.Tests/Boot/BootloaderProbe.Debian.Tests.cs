using System.Text.RegularExpressions;
using VmTeleport.Guests.Boot;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>
/// The real Debian 12 fixtures: their GRUB pieces must lie exactly where tools/fixtures/debian.sh
/// put them, checked against the bytes of a core.img rebuilt from the guest's own GRUB modules.
/// </summary>
[Collection(LoopMountCollection.Name)]
public sealed class BootloaderProbeDebianTests
{
    private const long Sector = 512;

    // The modules tools/fixtures/debian.sh builds core.img with (core_modules there).
    private static readonly string[] CoreModules =
        ["biosdisk", "part_msdos", "part_gpt", "ext2", "normal", "configfile", "linux", "search", "search_fs_uuid", "serial", "terminal", "echo", "test"];

    [Theory]
    [InlineData("debian12.raw")]
    [InlineData("debian12.qcow2")]
    public void Mbr_disk_has_boot_img_and_core_img_in_the_gap(string image)
    {
        using var disk = new OpenedDisk(Fixtures.Path("debian", image));
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Empty(problems);
        Assert.Equal(("grub-bios", "bios", "/boot/grub/grub.cfg"), (boot.Kind, boot.Firmware, boot.ConfigPath));
        Assert.Equal(GrubPackageVersion(), boot.Version);
        var core = RebuiltCore("(hd0,msdos1)/boot/grub", "mbr");
        Assert.Collection(
            boot.Pieces,
            p => Assert.Equal(("mbr", 0L, 440L, (int?)null), (p.Location, p.Offset, p.Length, p.Partition)),
            p =>
            {
                Assert.Equal(("post-mbr-gap", Sector, (int?)null), (p.Location, p.Offset, p.Partition));
                Assert.Equal(NonZeroLength(core), p.Length);
                Assert.Equal(core, ReadRaw("debian12.raw", p.Offset, core.Length));
                Assert.StartsWith($"GRUB core.img (diskboot + lzma_decompress): {(core.Length + Sector - 1) / Sector} sectors", p.Detail, StringComparison.Ordinal);
            },
            p => Assert.Equal(("filesystem", 2048 * Sector, (int?)1), (p.Location, p.Offset, p.Partition)));
        // Nothing else lives in the gap: the bytes after core.img up to the partition are zero.
        Assert.True(ReadRaw("debian12.raw", Sector + core.Length, (int)((2048 * Sector) - Sector - core.Length)).All(b => b == 0));
        // boot.img's 440 bytes are GRUB's own boot.img, kernel_sector (0x5c) aside.
        Assert.Equal(BootImg()[..0x5c], ReadRaw("debian12.raw", 0, 0x5c));
    }

    [Theory]
    [InlineData("debian12-gpt.raw")]
    [InlineData("debian12-gpt.qcow2")]
    public void Gpt_disk_has_core_img_in_the_bios_boot_partition(string image)
    {
        using var disk = new OpenedDisk(Fixtures.Path("debian", image));
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Empty(problems);
        Assert.Equal(("grub-bios", "bios", "/boot/grub/grub.cfg"), (boot.Kind, boot.Firmware, boot.ConfigPath));
        var core = RebuiltCore("(hd0,gpt2)/boot/grub", "gpt");
        // debian.sh patches diskboot's first blocklist start (u64 at 0x1f4) to 2049, as grub-bios-setup would.
        BitConverter.GetBytes(2049UL).CopyTo(core, 0x1f4);
        Assert.Collection(
            boot.Pieces,
            p => Assert.Equal(("mbr", 0L, 440L), (p.Location, p.Offset, p.Length)),
            p =>
            {
                Assert.Equal(("bios-boot-partition", 2048 * Sector, (int?)1), (p.Location, p.Offset, p.Partition));
                Assert.Equal(NonZeroLength(core), p.Length);
                Assert.Equal(core, ReadRaw("debian12-gpt.raw", p.Offset, core.Length));
            },
            p => Assert.Equal(("filesystem", 4096 * Sector, (int?)2), (p.Location, p.Offset, p.Partition)));
        Assert.True(ReadRaw("debian12-gpt.raw", (2048 * Sector) + core.Length, (int)((2048 * Sector) - core.Length)).All(b => b == 0));
        Assert.Equal(2048UL, BitConverter.ToUInt64(ReadRaw("debian12-gpt.raw", 0x5c, 8)));
    }

    /// <summary>core.img rebuilt with grub-mkimage from the guest's modules; its size must be the one manifest.txt records.</summary>
    private static byte[] RebuiltCore(string prefix, string table)
    {
        var match = Regex.Match(File.ReadAllText(Fixtures.Path("debian", "manifest.txt")), $@"^{table} core\.img (\d+) bytes", RegexOptions.Multiline);
        Assert.True(match.Success, "manifest.txt names the core.img size");
        long size = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var output = Path.Combine(Directory.CreateTempSubdirectory("vmt-core-").FullName, "core.img");
        using (var mount = LoopMount.Raw(Fixtures.Path("debian", "debian12.raw"), 2048 * Sector))
        {
            ExternalCommand.Check(
                "grub-mkimage",
                ["-d", Path.Combine(mount.MountPoint, "usr/lib/grub/i386-pc"), "-O", "i386-pc", "-o", output, "-p", prefix, .. CoreModules]);
        }

        var bytes = File.ReadAllBytes(output);
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        Assert.Equal(size, bytes.Length);
        return bytes;
    }

    private static long NonZeroLength(byte[] bytes) => Array.FindLastIndex(bytes, b => b != 0) + 1;

    private static byte[] ReadRaw(string image, long offset, int count)
    {
        using var f = File.OpenRead(Fixtures.Path("debian", image));
        var buffer = new byte[count];
        f.Position = offset;
        f.ReadExactly(buffer);
        return buffer;
    }

    private static byte[] BootImg()
    {
        using var mount = LoopMount.Raw(Fixtures.Path("debian", "debian12.raw"), 2048 * Sector);
        return File.ReadAllBytes(Path.Combine(mount.MountPoint, "usr/lib/grub/i386-pc/boot.img"));
    }

    private static string GrubPackageVersion()
    {
        var line = File.ReadAllLines(Fixtures.Path("debian", "packages.txt")).Single(l => l.StartsWith("grub-pc-bin ", StringComparison.Ordinal));
        return line.Split(' ')[1];
    }
}
