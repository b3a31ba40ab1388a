using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

public sealed class DomainXmlBiosTests
{
    private readonly DomainHardware _domain = DomainXml.Parse(DomainSamples.BiosI440fx, "web1.xml");

    [Fact]
    public void Identity_and_sizes()
    {
        Assert.Equal("web1.xml", _domain.ReadFrom);
        Assert.Equal("web1", _domain.Name);
        Assert.Equal("0b8a6c1e-2f44-4d0a-9a55-6f1d2c3b4a5e", _domain.Uuid);
        Assert.Equal("kvm", _domain.DomainType);
        Assert.Equal("LAMP front end", _domain.Title);
        Assert.Equal(4, _domain.Vcpus);
        Assert.Equal(2, _domain.CurrentVcpus);
        Assert.Equal(4L << 30, _domain.MemoryBytes);
        Assert.Equal(2L << 30, _domain.CurrentMemoryBytes);
        Assert.Null(_domain.MaxMemoryBytes);
        Assert.Equal("x86_64", _domain.Arch);
        Assert.Equal("pc-i440fx-7.2", _domain.MachineType);
        Assert.Equal("hvm", _domain.OsType);
        Assert.Equal(["hd", "cdrom"], _domain.BootDevices);
        Assert.Equal(["acpi", "apic"], _domain.Features);
        Assert.Equal("/usr/bin/qemu-system-x86_64", _domain.Emulator);
        Assert.Null(_domain.Snapshots);
        Assert.Empty(_domain.Warnings);
    }

    [Fact]
    public void No_loader_on_x86_is_seabios()
    {
        Assert.Equal(new DomainFirmware { Kind = "bios" }, _domain.Firmware);
        Assert.Equal(new DomainCpu { Mode = "host-passthrough" }, _domain.Cpu);
    }

    [Fact]
    public void Virtio_disk_with_its_backing_chain()
    {
        var vda = _domain.Disks[0];
        Assert.Equal("disk", vda.Device);
        Assert.Equal("virtio", vda.Bus);
        Assert.Equal("vda", vda.TargetDev);
        Assert.Equal("qemu", vda.DriverName);
        Assert.Equal("qcow2", vda.DriverType);
        Assert.Equal(new DomainDiskSource { Type = "file", File = "/var/lib/libvirt/images/web1.qcow2" }, vda.Source);
        Assert.False(vda.ReadOnly);
        Assert.Null(vda.BootOrder);
        Assert.Equal("WEB1-ROOT", vda.Serial);
        Assert.Equal(
            [
                new DomainBackingStore { Format = "qcow2", Source = new DomainDiskSource { Type = "file", File = "/var/lib/libvirt/images/debian12-base.qcow2" } },
                new DomainBackingStore { Format = "raw", Source = new DomainDiskSource { Type = "file", File = "/var/lib/libvirt/images/golden.raw" } },
            ],
            vda.BackingChain!);
    }

    [Fact]
    public void Empty_cdrom_has_no_source_and_no_stated_chain()
    {
        var hdc = _domain.Disks[1];
        Assert.Equal("cdrom", hdc.Device);
        Assert.Equal("ide", hdc.Bus);
        Assert.Equal("hdc", hdc.TargetDev);
        Assert.True(hdc.ReadOnly);
        Assert.Null(hdc.Source);
        Assert.Null(hdc.BackingChain);
    }

    [Fact]
    public void Nat_nic_controllers_and_console()
    {
        Assert.Equal(
            [new DomainInterface { Type = "network", SourceNetwork = "default", Model = "virtio", Mac = "52:54:00:6b:3c:58" }],
            _domain.Interfaces);
        Assert.Equal(
            [
                new DomainController { Type = "usb", Index = 0, Model = "piix3-uhci" },
                new DomainController { Type = "pci", Index = 0, Model = "pci-root" },
                new DomainController { Type = "ide", Index = 0 },
            ],
            _domain.Controllers);
        Assert.Equal([new DomainGraphics { Type = "vnc", Listen = "127.0.0.1", Port = null }], _domain.Graphics);
        Assert.Equal([new DomainVideo { Model = "cirrus", VramBytes = 16L << 20, Heads = 1 }], _domain.Video);
        Assert.Empty(_domain.Tpms);
    }
}
