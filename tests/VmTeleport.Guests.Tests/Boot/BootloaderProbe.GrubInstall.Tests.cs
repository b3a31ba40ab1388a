using System.Buffers.Binary;
using VmTeleport.Guests.Boot;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>
/// A disk set up by grub-install itself (not by hand as the Debian fixture is): core.img embedded in
/// the gap with Reed-Solomon redundancy and a patched blocklist, modules and modinfo.sh in /boot/grub.
/// </summary>
[Collection(LoopMountCollection.Name)]
public sealed class BootloaderProbeGrubInstallTests
{
    private const int Sector = 512;

    private const string InstallScript =
        "printf 'label: dos\\nstart=2048, type=83, bootable\\n' | sfdisk -q \"$D\"; "
        + "L=$(losetup -f --show \"$D\"); "
        + "trap 'umount \"$W/mnt\" 2>/dev/null || true; partx -d \"$L\" 2>/dev/null || true; losetup -d \"$L\"' EXIT; "
        + "partx -a \"$L\"; mkfs.ext4 -q \"${L}p1\"; mkdir -p \"$W/mnt\"; mount \"${L}p1\" \"$W/mnt\"; "
        + "grub-install --target=i386-pc --boot-directory=\"$W/mnt/boot\" \"$L\"; "
        + "echo 'set timeout=0' > \"$W/mnt/boot/grub/grub.cfg\"; "
        + "cp \"$W/mnt/boot/grub/i386-pc/core.img\" \"$W/core.img\"";

    [SkippableFact]
    public void Grub_install_layout_is_found_exactly()
    {
        // grub-probe finds a partition's start with HDIO_GETGEO, which loop devices do not answer on
        // some kernels (6.18 here) and there is no device-mapper to offer it another device: then
        // grub-install cannot run on a loop disk at all and this test has nothing to compare with.
        using var scratch = new ScratchDisk(32);
        var install = ExternalCommand.Run("bash", ["-euo", "pipefail", "-c", $"D='{scratch.Path}'; W='{Path.GetDirectoryName(scratch.Path)}'; {InstallScript}"]);
        Skip.If(install.ExitCode != 0 && install.StdErr.Contains("cannot find a GRUB drive", StringComparison.Ordinal),
            "grub-install cannot map a loop partition to a GRUB drive on this kernel (no HDIO_GETGEO on loop devices, no device-mapper)");
        Assert.True(install.ExitCode == 0, $"grub-install failed: {install.StdErr}");
        var core = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(scratch.Path)!, "core.img"));
        var version = ExternalCommand.Check("dpkg-query", "-W", "-f", "${Version}", "grub-pc-bin").Trim();
        using var disk = new OpenedDisk(scratch.Path);
        var problems = new List<string>();

        var boot = BootloaderProbe.Detect(disk.Disk, disk.Table, disk.Volumes, disk.Root, problems);

        Assert.Empty(problems);
        Assert.Equal(("grub-bios", "bios", version, "/boot/grub/grub.cfg"), (boot.Kind, boot.Firmware, boot.Version, boot.ConfigPath));
        var gap = boot.Pieces.Single(p => p.Location == "post-mbr-gap");
        // grub-bios-setup embeds core.img plus Reed-Solomon bytes and makes the blocklist cover both.
        var onDisk = scratch.Read(Sector, (1 << 20) - Sector);
        int sectors = 1 + BinaryPrimitives.ReadUInt16LittleEndian(onDisk.AsSpan(0x1fc));
        int redundancy = (int)BinaryPrimitives.ReadUInt32LittleEndian(onDisk.AsSpan(Sector + 0x10));
        Assert.Equal(sectors * Sector, core.Length + redundancy);
        Assert.Equal((512L, (long)Array.FindLastIndex(onDisk, b => b != 0) + 1), (gap.Offset, gap.Length));
        Assert.InRange(gap.Length, ((sectors - 1) * Sector) + 1, sectors * Sector); // ends in the blocklist's last sector
        Assert.True(gap.Length > core.Length, "the Reed-Solomon bytes are part of the piece");
        Assert.Contains($"{sectors} sectors by diskboot's blocklist", gap.Detail, StringComparison.Ordinal);
        Assert.Contains($"Reed-Solomon redundancy {redundancy} bytes", gap.Detail, StringComparison.Ordinal);
        // The embedded copy is core.img itself except what grub-bios-setup patches: the blocklist's
        // count (0x1fc) and the redundancy (0x10 of the second sector).
        for (int i = 0; i < core.Length; i++)
        {
            if (i is not (0x1fc or 0x1fd) && i is < Sector + 0x10 or >= Sector + 0x14)
            {
                Assert.True(core[i] == onDisk[i], $"byte {i} of core.img differs on the disk");
            }
        }
    }
}
