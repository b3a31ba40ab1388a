using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

public sealed class DomainXmlUefiTests
{
    private readonly DomainHardware _domain = DomainXml.Parse(DomainSamples.UefiQ35, "desk-uefi.xml");

    [Fact]
    public void Sizes_in_gib_and_q35()
    {
        Assert.Equal(8L << 30, _domain.MemoryBytes);
        Assert.Equal(6L << 30, _domain.CurrentMemoryBytes);
        Assert.Equal(4, _domain.Vcpus);
        Assert.Null(_domain.CurrentVcpus);
        Assert.Equal("pc-q35-7.2", _domain.MachineType);
        Assert.Empty(_domain.BootDevices);
        Assert.Equal(["acpi", "apic", "smm"], _domain.Features);
        Assert.Equal(
            new DomainCpu { Mode = "custom", Model = "Skylake-Client-IBRS", Match = "exact", Sockets = 1, Dies = 1, Cores = 2, Threads = 2 },
            _domain.Cpu);
    }

    [Fact]
    public void Ovmf_loader_with_nvram_is_efi_with_secure_boot()
    {
        Assert.Equal(
            new DomainFirmware
            {
                Kind = "efi",
                AutoSelected = false,
                LoaderPath = "/usr/share/OVMF/OVMF_CODE_4M.ms.fd",
                LoaderType = "pflash",
                LoaderReadOnly = true,
                LoaderSecure = true,
                NvramPath = "/var/lib/libvirt/qemu/nvram/desk-uefi_VARS.fd",
                NvramTemplate = "/usr/share/OVMF/OVMF_VARS_4M.ms.fd",
                SecureBoot = true,
            },
            _domain.Firmware);
    }

    [Fact]
    public void Volume_block_and_sata_cdrom()
    {
        Assert.Equal(3, _domain.Disks.Count);
        var (vda, sdb, sda) = (_domain.Disks[0], _domain.Disks[1], _domain.Disks[2]);
        Assert.Equal(new DomainDiskSource { Type = "volume", Pool = "default", Volume = "desk-uefi.qcow2" }, vda.Source);
        Assert.Equal(1, vda.BootOrder);
        Assert.Equal("qcow2", vda.DriverType);

        Assert.Equal(new DomainDiskSource { Type = "block", Dev = "/dev/vg0/desk-data" }, sdb.Source);
        Assert.Equal(("scsi", "sdb", "raw"), (sdb.Bus, sdb.TargetDev, sdb.DriverType));
        Assert.True(sdb.Shareable);

        Assert.Equal("cdrom", sda.Device);
        Assert.Equal(("sata", "sda"), (sda.Bus, sda.TargetDev));
        Assert.True(sda.ReadOnly);
        Assert.Equal(2, sda.BootOrder);
        Assert.Equal("/var/lib/libvirt/boot/debian-12.8.0-amd64-netinst.iso", sda.Source?.File);
    }

    [Fact]
    public void Bridge_and_macvtap_nics_tpm_spice()
    {
        Assert.Equal(
            [
                new DomainInterface { Type = "bridge", SourceBridge = "br0", Model = "e1000e", Mac = "52:54:00:a1:b2:c3" },
                new DomainInterface { Type = "direct", SourceDevice = "eno1", SourceMode = "bridge", Model = "virtio", Mac = "52:54:00:d4:e5:f6" },
            ],
            _domain.Interfaces);
        Assert.Contains(new DomainController { Type = "scsi", Index = 0, Model = "virtio-scsi" }, _domain.Controllers);
        Assert.Equal(2, _domain.Controllers.Count(c => c.Model == "pcie-root-port"));
        Assert.Equal([new DomainTpm { Model = "tpm-crb", BackendType = "emulator", BackendVersion = "2.0" }], _domain.Tpms);
        Assert.Equal([new DomainGraphics { Type = "spice" }], _domain.Graphics);
        Assert.Equal([new DomainVideo { Model = "qxl", VramBytes = 64L << 20, Heads = 1 }], _domain.Video);
    }

    [Fact]
    public void Firmware_autoselection_with_secure_boot_feature()
    {
        string xml = DomainSamples.UefiQ35
            .With("<os>", "<os firmware='efi'>")
            .With("<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>",
                "<firmware><feature enabled='no' name='secure-boot'/><feature enabled='no' name='enrolled-keys'/></firmware>")
            .With("<nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/var/lib/libvirt/qemu/nvram/desk-uefi_VARS.fd</nvram>",
                "<nvram type='file'><source file='/var/lib/libvirt/qemu/nvram/x_VARS.fd'/></nvram>");
        var firmware = DomainXml.Parse(xml, "auto.xml").Firmware;
        Assert.Equal(
            new DomainFirmware { Kind = "efi", AutoSelected = true, NvramPath = "/var/lib/libvirt/qemu/nvram/x_VARS.fd", SecureBoot = false },
            firmware);
    }

    [Theory]
    [InlineData("<loader type='rom'>/usr/share/seabios/bios-256k.bin</loader>", "bios")]
    [InlineData("<loader readonly='yes'>/usr/share/OVMF/OVMF_CODE.fd</loader>", "efi")]
    [InlineData("<loader readonly='yes' type='pflash'>/opt/fw/CODE.bin</loader>", "efi")]
    [InlineData("<loader type='rom'>/opt/fw/custom.bin</loader><nvram>/var/lib/x.fd</nvram>", "efi")]
    public void Firmware_kind_from_the_loader(string loader, string kind)
    {
        string xml = DomainSamples.BiosI440fx.With("<boot dev='hd'/>", loader + "<boot dev='hd'/>");
        Assert.Equal(kind, DomainXml.Parse(xml, "x.xml").Firmware.Kind);
    }

    [Fact]
    public void Non_x86_without_loader_is_not_guessed()
    {
        string xml = DomainSamples.BiosI440fx.With("arch='x86_64' machine='pc-i440fx-7.2'", "arch='aarch64' machine='virt-7.2'");
        Assert.Null(DomainXml.Parse(xml, "arm.xml").Firmware.Kind);
    }
}
