using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>
/// libvirt itself as the oracle: each sample is defined in virsh's test driver, and what we read
/// from libvirt's own dumpxml must agree with dominfo and with what we read from the sample.
/// </summary>
public sealed class DomainXmlVirshOracleTests
{
    public static TheoryData<string, string, string> Samples => new()
    {
        { "bios-i440fx", DomainSamples.BiosI440fx, "web1" },
        { "uefi-q35", DomainSamples.UefiQ35, "desk-uefi" },
        {
            "efi-auto",
            DomainSamples.UefiQ35
                .With("<os>", "<os firmware='efi'>")
                .With("<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>",
                    "<firmware><feature enabled='yes' name='secure-boot'/><feature enabled='yes' name='enrolled-keys'/></firmware>")
                .With("<nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>", "<nvram>"),
            "desk-uefi"
        },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Libvirts_dumpxml_reads_as_dominfo_reports(string label, string xml, string name)
    {
        var (dump, info) = VirshTestDriver.DefineAndRead(xml, name);
        var fromLibvirt = DomainXml.Parse(dump, label);

        Assert.Equal(info["Name"], fromLibvirt.Name);
        Assert.Equal(info["UUID"], fromLibvirt.Uuid);
        Assert.Equal(info["CPU(s)"], (fromLibvirt.CurrentVcpus ?? fromLibvirt.Vcpus).ToString());
        Assert.Equal($"{fromLibvirt.MemoryBytes / 1024} KiB", info["Max memory"]);
        Assert.Equal($"{fromLibvirt.CurrentMemoryBytes / 1024} KiB", info["Used memory"]);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Libvirts_dumpxml_reads_as_the_sample_does(string label, string xml, string name)
    {
        var (dump, _) = VirshTestDriver.DefineAndRead(xml, name);
        var fromLibvirt = DomainXml.Parse(dump, label);
        var fromSample = DomainXml.Parse(xml, label);

        // libvirt adds the controllers a machine type implies; the sample's must all be there.
        Assert.All(fromSample.Controllers, c => Assert.Contains(c, fromLibvirt.Controllers));
        Assert.Equal(
            HardwareJson.Serialize(fromSample with { Controllers = [] }),
            HardwareJson.Serialize(fromLibvirt with { Controllers = [] }));
    }

    [Theory]
    [InlineData("4194304", "KiB")]
    [InlineData("1000000001", "b")]
    [InlineData("999999", "kb")]
    [InlineData("3", "GB")]
    [InlineData("1536", "M")]
    [InlineData("5", "mb")]
    [InlineData("2", "TiB")]
    [InlineData("1", "EB")]
    [InlineData("7", "PiB")]
    [InlineData("123456", null)]
    public void Memory_units_agree_with_libvirt(string value, string? unit)
    {
        string attr = unit is null ? "" : $" unit='{unit}'";
        string xml = DomainSamples.BiosI440fx
            .With("<memory unit='KiB'>4194304</memory>", $"<memory{attr}>{value}</memory>")
            .With("<currentMemory unit='KiB'>2097152</currentMemory>", $"<currentMemory{attr}>{value}</currentMemory>");
        var (_, info) = VirshTestDriver.DefineAndRead(xml, "web1");
        var ours = DomainXml.Parse(xml, "units.xml");
        Assert.Equal(info["Max memory"], $"{ours.MemoryBytes / 1024} KiB");
        Assert.Equal(info["Used memory"], $"{ours.CurrentMemoryBytes / 1024} KiB");
    }
}
