using VmTeleport.Disks;
using VmTeleport.Guests.Boot;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>Small disks built with sfdisk, sgdisk, mkfs.vfat, mkfs.ext4 and grub-mkimage for one case each.</summary>
public sealed class BootloaderProbeSyntheticTests
{
    private const long MiB = 1 << 20;

    static BootloaderProbeSyntheticTests() => ExternalCommand.Check("bash", RepoRoot.Combine("tools", "install-deps.sh"));

    [Fact]
    public void A_blank_disk_has_no_bootloader()
    {
        using var disk = new OpenedDisk(new MemoryBlockSource(new byte[4 * MiB], "blank.raw"));
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, null, problems);

        Assert.Equal(("none", (string?)null, (string?)null, (string?)null), (boot.Kind, boot.Firmware, boot.Version, boot.ConfigPath));
        Assert.Empty(boot.Pieces);
        Assert.Empty(problems);
    }

    [Fact]
    public void A_partitioned_disk_without_boot_code_has_no_bootloader()
    {
        // GRUB's files without boot code on the disk, as in a guest started by direct kernel boot.
        using var scratch = new ScratchDisk(16);
        Directory.CreateDirectory(Path.Combine(scratch.Folder("root"), "etc"));
        Directory.CreateDirectory(Path.Combine(scratch.Folder("root"), "boot", "grub", "i386-pc"));
        scratch.Run("printf 'label: dos\\nstart=2048, type=83\\n' | sfdisk -q \"$D\"; mkfs.ext4 -q -F -d \"$W/root\" -E offset=1048576 \"$D\" 15M");
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Equal(("none", (string?)null, (string?)null), (boot.Kind, boot.Firmware, boot.Version));
        Assert.Equal(("filesystem", (int?)1), (Assert.Single(boot.Pieces).Location, boot.Pieces[0].Partition));
        Assert.Empty(problems);
    }

    [Fact]
    public void An_esp_with_grub_efi_files_is_grub_efi()
    {
        using var scratch = EspDisk(efiPlatform: true);
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Empty(problems);
        Assert.Equal(("grub-efi", "efi", "9.99-test", "/boot/grub/grub.cfg"), (boot.Kind, boot.Firmware, boot.Version, boot.ConfigPath));
        Assert.Collection(
            boot.Pieces,
            p =>
            {
                Assert.Equal(("esp", 1 * MiB, 32 * MiB, (int?)1), (p.Location, p.Offset, p.Length, p.Partition));
                Assert.Contains("FAT16", p.Detail, StringComparison.Ordinal);
                Assert.Contains("FAT is not read yet", p.Detail, StringComparison.Ordinal);
            },
            p => Assert.Equal(("filesystem", 33 * MiB, (int?)2), (p.Location, p.Offset, p.Partition)));
    }

    [Fact]
    public void An_esp_without_evidence_of_its_bootloader_is_unknown_efi()
    {
        using var scratch = EspDisk(efiPlatform: false);
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Equal(("unknown", "efi"), (boot.Kind, boot.Firmware));
        Assert.Equal("esp", boot.Pieces[0].Location);
        Assert.Contains(problems, p => p.Contains("EFI system partition's bootloader is not identified", StringComparison.Ordinal));
    }

    [Fact]
    public void An_mbr_partition_of_type_ef_is_an_esp()
    {
        using var scratch = new ScratchDisk(24).Run("printf 'label: dos\\nstart=2048, size=16384, type=ef\\nstart=18432, type=83\\n' | sfdisk -q \"$D\"; mkfs.vfat -F 12 --offset 2048 \"$D\" 8192 >/dev/null");
        using var disk = new OpenedDisk(scratch.Path);

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, null, new List<string>());

        var esp = Assert.Single(boot.Pieces);
        Assert.Equal(("esp", 1 * MiB, 8 * MiB, (int?)1), (esp.Location, esp.Offset, esp.Length, esp.Partition));
        Assert.Contains("FAT12", esp.Detail, StringComparison.Ordinal);
        Assert.Equal(("unknown", "efi"), (boot.Kind, boot.Firmware));
    }

    [Fact]
    public void Bios_boot_partition_and_esp_together_are_grub_bios_and_efi()
    {
        using var scratch = EspDisk(efiPlatform: true, biosBoot: true);
        var core = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(scratch.Path)!, "core.img"));
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Empty(problems);
        Assert.Equal(("grub-bios+efi", "both"), (boot.Kind, boot.Firmware));
        Assert.Equal(["mbr", "esp", "filesystem", "bios-boot-partition"], boot.Pieces.Select(p => p.Location));
        var bios = boot.Pieces[3];
        Assert.Equal((34 * MiB, (int?)3), (bios.Offset, bios.Partition));
        Assert.Equal(Array.FindLastIndex(core, b => b != 0) + 1, bios.Length);
        Assert.Equal(core, scratch.Read(bios.Offset, core.Length));
    }

    [Fact]
    public void Grub_on_a_separate_boot_filesystem_is_found_there()
    {
        using var scratch = new ScratchDisk(48);
        var bootTree = scratch.Folder("boot");
        Directory.CreateDirectory(Path.Combine(bootTree, "grub", "i386-pc"));
        File.WriteAllText(Path.Combine(bootTree, "grub", "grub.cfg"), "set timeout=0\n");
        File.WriteAllText(Path.Combine(bootTree, "grub", "i386-pc", "modinfo.sh"), "grub_version='2.12'\n");
        Directory.CreateDirectory(Path.Combine(scratch.Folder("root"), "etc"));
        scratch.Run(
            "printf 'label: dos\\nstart=2048, size=32768, type=83\\nstart=34816, type=83\\n' | sfdisk -q \"$D\"; "
            + "mkfs.ext4 -q -F -E offset=1048576 -d \"$W/boot\" \"$D\" 16M; "
            + "mkfs.ext4 -q -F -E offset=$((34816*512)) -d \"$W/root\" \"$D\" 30M; "
            + "dd if=/usr/lib/grub/i386-pc/boot.img of=\"$D\" bs=440 count=1 conv=notrunc status=none; "
            + "grub-mkimage -O i386-pc -o \"$W/core.img\" -p '(hd0,msdos1)/grub' biosdisk part_msdos ext2; "
            + "dd if=\"$W/core.img\" of=\"$D\" bs=512 seek=1 conv=notrunc status=none");
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Empty(problems);
        Assert.Equal(("grub-bios", "2.12", "/boot/grub/grub.cfg"), (boot.Kind, boot.Version, boot.ConfigPath));
        Assert.Equal(["mbr", "post-mbr-gap", "filesystem"], boot.Pieces.Select(p => p.Location));
        Assert.Equal((1L << 20, 16L << 20, (int?)1), (boot.Pieces[2].Offset, boot.Pieces[2].Length, boot.Pieces[2].Partition));
    }

    [Fact]
    public void Unrecognised_boot_code_is_unknown_not_a_crash()
    {
        using var scratch = new ScratchDisk(8).Run("printf 'label: dos\\nstart=2048, type=83\\n' | sfdisk -q \"$D\"");
        var garbage = new byte[440];
        new Random(440).NextBytes(garbage);
        scratch.Write(0, garbage);
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, null, problems);

        Assert.Equal(("unknown", "bios"), (boot.Kind, boot.Firmware));
        var mbr = Assert.Single(boot.Pieces);
        Assert.Equal(("mbr", 0L, 440L), (mbr.Location, mbr.Offset, mbr.Length));
        Assert.Equal([$"{scratch.Path}: sector 0 holds boot code VM Teleport does not recognise"], problems);
    }

    [Theory]
    [InlineData(1UL, "DISK: boot.img's kernel_sector 1 (offset 0x200) holds no GRUB core.img")]
    [InlineData(1UL << 40, "DISK: boot.img's kernel_sector 1099511627776 lies beyond the end of the disk (0x800000 bytes)")]
    [InlineData(ulong.MaxValue, "DISK: boot.img's kernel_sector 18446744073709551615 lies beyond the end of the disk (0x800000 bytes)")]
    public void Boot_img_pointing_at_no_core_img_is_reported(ulong kernelSector, string expected)
    {
        using var scratch = new ScratchDisk(8).Run("printf 'label: dos\\nstart=2048, type=83\\n' | sfdisk -q \"$D\"");
        var bootImg = File.ReadAllBytes("/usr/lib/grub/i386-pc/boot.img").AsSpan(0, 440).ToArray();
        BitConverter.GetBytes(kernelSector).CopyTo(bootImg, 0x5c);
        scratch.Write(0, bootImg);
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, null, problems);

        Assert.Equal(("grub-bios", "bios"), (boot.Kind, boot.Firmware));
        Assert.Equal([expected.Replace("DISK", scratch.Path, StringComparison.Ordinal)], problems);
    }

    [Fact]
    public void Core_img_whose_blocklist_was_not_patched_for_its_sector_is_reported()
    {
        using var scratch = new ScratchDisk(8).Run(
            "printf 'label: dos\\nstart=4096, type=83\\n' | sfdisk -q \"$D\"; "
            + "grub-mkimage -O i386-pc -o \"$W/core.img\" -p '(hd0,msdos1)/boot/grub' biosdisk part_msdos ext2; "
            + "dd if=/usr/lib/grub/i386-pc/boot.img of=\"$D\" bs=440 count=1 conv=notrunc status=none; "
            + "dd if=\"$W/core.img\" of=\"$D\" bs=512 seek=100 conv=notrunc status=none");
        scratch.Write(0x5c, BitConverter.GetBytes(100UL));
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, null, problems);

        Assert.Equal([$"{scratch.Path}: core.img at sector 100 loads the rest from sector 2, not 101"], problems);
        var gap = boot.Pieces.Single(p => p.Location == "post-mbr-gap");
        Assert.Equal(100 * 512L, gap.Offset);
    }

    /// <summary>
    /// GPT: ESP (FAT16, 32 MiB at 1 MiB), ext4 root at 33 MiB with /boot/grub/grub.cfg and platform
    /// folders holding modinfo.sh; with <paramref name="biosBoot"/> also a BIOS boot partition 3 at
    /// 34 MiB holding a core.img from grub-mkimage and GRUB's boot.img in sector 0.
    /// </summary>
    private static ScratchDisk EspDisk(bool efiPlatform, bool biosBoot = false)
    {
        var scratch = new ScratchDisk(64);
        var tree = scratch.Folder("root");
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        var grub = Path.Combine(tree, "boot", "grub");
        Directory.CreateDirectory(grub);
        File.WriteAllText(Path.Combine(grub, "grub.cfg"), "set timeout=0\n");
        foreach (var platform in (efiPlatform ? ["x86_64-efi"] : Array.Empty<string>()).Concat(biosBoot ? ["i386-pc"] : []))
        {
            Directory.CreateDirectory(Path.Combine(grub, platform));
            File.WriteAllText(Path.Combine(grub, platform, "modinfo.sh"), "grub_version=\"9.99\"\ngrub_package_version=\"9.99-test\"\n");
        }

        string bios = biosBoot ? "--new=3:69632:71679 --typecode=3:EF02 " : string.Empty;
        string root = biosBoot ? "--new=2:67584:69631" : "--new=2:67584:0";
        scratch.Run(
            $"sgdisk --zap-all --new=1:2048:67583 --typecode=1:EF00 {root} --typecode=2:8300 {bios}\"$D\" >/dev/null; "
            + "mkfs.vfat -F 16 --offset 2048 \"$D\" 32768 >/dev/null; "
            + "mkfs.ext4 -q -F -E offset=$((67584*512)) -d \"$W/root\" \"$D\" " + (biosBoot ? "1024k" : "30M"));
        if (biosBoot)
        {
            scratch.Run(
                "grub-mkimage -O i386-pc -o \"$W/core.img\" -p '(hd0,gpt2)/boot/grub' biosdisk part_gpt ext2; "
                + "dd if=/usr/lib/grub/i386-pc/boot.img of=\"$D\" bs=440 count=1 conv=notrunc status=none; "
                + "python3 -c \"import struct,sys; f=open(sys.argv[1],'r+b'); f.seek(0x1f4); f.write(struct.pack('<Q', 69633))\" \"$W/core.img\"; "
                + "dd if=\"$W/core.img\" of=\"$D\" bs=512 seek=69632 conv=notrunc status=none");
            scratch.Write(0x5c, BitConverter.GetBytes(69632UL));
        }

        return scratch;
    }
}
