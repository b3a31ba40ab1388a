using VmTeleport.Guests.Boot;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>A disk made bootable by SYSLINUX's own tools: mbr.bin in sector 0, extlinux --install on ext4.</summary>
[Collection(LoopMountCollection.Name)]
public sealed class BootloaderProbeSyslinuxTests
{
    private const long MiB = 1 << 20;

    static BootloaderProbeSyslinuxTests() => ExternalCommand.Check("bash", RepoRoot.Combine("tools", "install-deps.sh"));

    [Fact]
    public void Extlinux_on_ext4_is_syslinux_with_its_boot_sector_and_files()
    {
        using var scratch = new ScratchDisk(32).Run(
            "printf 'label: dos\\nstart=2048, type=83, bootable\\n' | sfdisk -q \"$D\"; "
            + "mkfs.ext4 -q -F -E offset=1048576 \"$D\" 31M; "
            + "mkdir -p \"$W/mnt\"; mount -o loop,offset=1048576 \"$D\" \"$W/mnt\"; "
            + "trap 'umount \"$W/mnt\"' EXIT; "
            + "mkdir -p \"$W/mnt/boot/extlinux\" \"$W/mnt/etc\"; "
            + "extlinux --install \"$W/mnt/boot/extlinux\" 2>/dev/null; "
            + "printf 'DEFAULT linux\\nLABEL linux\\n  KERNEL /boot/vmlinuz\\n' > \"$W/mnt/boot/extlinux/extlinux.conf\"; "
            + "dd if=/usr/lib/syslinux/mbr/mbr.bin of=\"$D\" bs=440 count=1 conv=notrunc status=none");
        var banner = ExternalCommand.Run("extlinux", ["--version"]);
        var version = (banner.StdOut + banner.StdErr).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]; // "extlinux 6.04  Copyright ..."
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Empty(problems);
        Assert.Equal(("syslinux", "bios", "/boot/extlinux/extlinux.conf"), (boot.Kind, boot.Firmware, boot.ConfigPath));
        Assert.Equal(version, boot.Version);
        Assert.Collection(
            boot.Pieces,
            p =>
            {
                Assert.Equal(("mbr", 0L, 440L), (p.Location, p.Offset, p.Length));
                Assert.Contains("SYSLINUX mbr.bin", p.Detail, StringComparison.Ordinal);
            },
            p => Assert.Equal(("filesystem", 1 * MiB, (int?)1), (p.Location, p.Offset, p.Partition)),
            p => Assert.Equal(("volume-boot-record", 1 * MiB, 512L, (int?)1), (p.Location, p.Offset, p.Length, p.Partition)));
    }
}
