using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>
/// The deployed domain's XML carries the source's hardware with the new disk: read back by our own
/// parser, and defined in libvirt's test driver, whose dominfo and dumpxml are the oracle.
/// </summary>
public sealed class DomainDefinitionTests
{
    public static TheoryData<string, string> Samples => new()
    {
        { "bios-i440fx", DomainSamples.BiosI440fx },
        { "uefi-q35", DomainSamples.UefiQ35 },
        {
            "efi-auto",
            DomainSamples.UefiQ35
                .With("<os>", "<os firmware='efi'>")
                .With("<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>",
                    "<firmware><feature enabled='yes' name='secure-boot'/><feature enabled='yes' name='enrolled-keys'/></firmware>")
                .With("<nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>", "<nvram>")
        },
    };

    private const string Disk = "/var/lib/libvirt/images/teleported.qcow2";

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_source_hardware_reads_back_with_the_new_disk(string label, string xml)
    {
        var source = DomainXml.Parse(xml, label);
        var written = DomainDefinition.Create(source, "teleported", Disk, "qcow2", source.DomainType ?? "kvm");
        var copy = DomainXml.Parse(written, "written");

        Assert.Equal("teleported", copy.Name);
        Assert.Null(copy.Uuid);
        Assert.Equal((source.Vcpus, source.CurrentVcpus, source.MemoryBytes, source.CurrentMemoryBytes), (copy.Vcpus, copy.CurrentVcpus, copy.MemoryBytes, copy.CurrentMemoryBytes));
        Assert.Equal((source.Arch, source.MachineType, source.OsType), (copy.Arch, copy.MachineType, copy.OsType));
        Assert.Equal((source.Firmware.Kind, source.Firmware.SecureBoot, source.Firmware.AutoSelected, source.Firmware.LoaderPath),
            (copy.Firmware.Kind, copy.Firmware.SecureBoot, copy.Firmware.AutoSelected, copy.Firmware.LoaderPath));
        Assert.Equal(source.Features, copy.Features);
        Assert.Equal(source.Cpu?.Mode, copy.Cpu?.Mode);
        Assert.Equal(
            source.Interfaces.Select(i => (i.Type, i.Mac, i.Model, i.SourceNetwork, i.SourceBridge)),
            copy.Interfaces.Select(i => (i.Type, i.Mac, i.Model, i.SourceNetwork, i.SourceBridge)));
        var disk = Assert.Single(copy.Disks);
        var first = source.Disks.First(d => d.Device == "disk");
        Assert.Equal((Disk, "qcow2", first.Bus, first.TargetDev), (disk.Source?.File, disk.DriverType, disk.Bus, disk.TargetDev));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Libvirt_accepts_the_definition_and_reports_the_source_hardware(string label, string xml)
    {
        var source = DomainXml.Parse(xml, label);
        var written = DomainDefinition.Create(source, "teleported", Disk, "qcow2", source.DomainType ?? "kvm");

        var (dump, info) = VirshTestDriver.DefineAndRead(written, "teleported");

        Assert.Equal((source.CurrentVcpus ?? source.Vcpus).ToString(), info["CPU(s)"]); // dominfo shows the vCPUs online at boot
        Assert.Equal($"{source.MemoryBytes / 1024} KiB", info["Max memory"]);
        var libvirts = DomainXml.Parse(dump, "dumpxml");
        Assert.Equal(source.Interfaces.Select(i => i.Mac), libvirts.Interfaces.Select(i => i.Mac));
        Assert.Equal(Disk, libvirts.Disks.Single(d => d.Device == "disk").Source?.File);
        Assert.Equal(source.MachineType, libvirts.MachineType);
    }
}
