using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`inspect` with the VM's libvirt definition: from a file, and by name through virsh.</summary>
public sealed class InspectHardwareTests
{
    private const string Domain = """
        <domain type='kvm'>
          <name>debian12</name>
          <uuid>5e1f0a7e-0d1e-4b1a-9c3e-7e1e9047d012</uuid>
          <memory unit='GiB'>2</memory>
          <vcpu>3</vcpu>
          <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type><boot dev='hd'/></os>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='/var/lib/libvirt/images/debian12.qcow2'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            <interface type='network'>
              <mac address='52:54:00:5e:1f:0a'/>
              <source network='default'/>
              <model type='virtio'/>
            </interface>
          </devices>
        </domain>
        """;

    private static string Image => Fixtures.Path("debian", "debian12.qcow2");

    [Fact]
    public void A_domain_xml_file_puts_the_hardware_into_the_description()
    {
        var xml = Path.Combine(Path.GetTempPath(), $"vmt-domain-{Guid.NewGuid():N}.xml");
        File.WriteAllText(xml, Domain);
        try
        {
            using var doc = JsonDocument.Parse(Cli.Ok("inspect", Image, "--json", "--domain-xml", xml).StdOut);
            var hw = doc.RootElement.GetProperty("hardware");
            Assert.Equal("debian12", hw.GetProperty("name").GetString());
            Assert.Equal(3, hw.GetProperty("vcpus").GetInt32());
            Assert.Equal(2L << 30, hw.GetProperty("memory_bytes").GetInt64());
            Assert.Equal("pc-q35-7.2", hw.GetProperty("machine_type").GetString());
            var nic = Assert.Single(hw.GetProperty("interfaces").EnumerateArray());
            Assert.Equal(("virtio", "52:54:00:5e:1f:0a", "default"), (nic.GetProperty("model").GetString(), nic.GetProperty("mac").GetString(), nic.GetProperty("source_network").GetString()));
            Assert.Contains("hardware:     debian12: 3 vCPU(s), 2.0 GiB, pc-q35-7.2", Cli.Ok("inspect", Image, "--domain-xml", xml).Text);

            File.WriteAllText(xml, "<domain><name>x</name>");
            var bad = Cli.Run("inspect", Image, "--domain-xml", xml);
            Assert.Equal(4, bad.ExitCode);
            Assert.Contains(xml, bad.StdErr);
        }
        finally
        {
            File.Delete(xml);
        }
    }

    [Fact]
    public void A_domain_name_is_read_through_virsh_and_agrees_with_dominfo()
    {
        // libvirt's built-in test driver needs no daemon and always has a domain named "test".
        var dominfo = ExternalCommand.Check("virsh", "-c", "test:///default", "dominfo", "test");
        int cpus = int.Parse(Regex.Match(dominfo, @"CPU\(s\):\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        long maxKib = long.Parse(Regex.Match(dominfo, @"Max memory:\s+(\d+) KiB").Groups[1].Value, CultureInfo.InvariantCulture);

        using var doc = JsonDocument.Parse(Cli.Ok("inspect", Image, "--json", "--domain", "test", "--connect", "test:///default").StdOut);
        var hw = doc.RootElement.GetProperty("hardware");
        Assert.Equal("test", hw.GetProperty("name").GetString());
        Assert.Equal(cpus, hw.GetProperty("vcpus").GetInt32());
        Assert.Equal(maxKib * 1024, hw.GetProperty("memory_bytes").GetInt64()); // <memory> is what dominfo calls Max memory

        Assert.Equal(3, Cli.Run("inspect", Image, "--domain", "no-such-domain", "--connect", "test:///default").ExitCode);
        Assert.Equal(2, Cli.Run("inspect", Image, "--domain", "test", "--domain-xml", "/x.xml").ExitCode);
        Assert.Equal(2, Cli.Run("inspect", Image, "--connect", "test:///default").ExitCode);
    }
}
