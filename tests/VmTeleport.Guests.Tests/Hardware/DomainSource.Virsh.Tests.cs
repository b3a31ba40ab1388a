using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>
/// --domain NAME through real virsh: the test driver loads a node file holding a domain with
/// snapshots (test:///ABSOLUTE/PATH.xml), no daemon needed.
/// </summary>
public sealed class DomainSourceVirshTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _uri;

    public DomainSourceVirshTests()
    {
        // The test driver's node format: domains with their snapshots in its own namespace; it
        // wants <active> in each snapshot and reports the one marked 1 as current.
        string domain = DomainSamples.BiosI440fx[DomainSamples.BiosI440fx.IndexOf("<domain", StringComparison.Ordinal)..]
            .With("</domain>", """
                <test:domainsnapshot>
                  <name>installed</name>
                  <state>shutoff</state>
                  <creationTime>1731000000</creationTime>
                  <memory snapshot='no'/>
                  <active>0</active>
                </test:domainsnapshot>
                <test:domainsnapshot>
                  <name>before-upgrade</name>
                  <description>clean install</description>
                  <state>shutoff</state>
                  <parent><name>installed</name></parent>
                  <creationTime>1732000000</creationTime>
                  <memory snapshot='no'/>
                  <disks><disk name='vda' snapshot='internal'/></disks>
                  <active>1</active>
                </test:domainsnapshot>
                </domain>
                """);
        string node = _dir.Write("node.xml", $"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n{domain}\n</node>\n");
        _uri = "test://" + node;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Domain_and_snapshots_come_from_virsh()
    {
        var d = DomainSource.LoadByName("web1", new DomainLookup { ConnectUri = _uri });
        Assert.Equal($"virsh -c {_uri} dumpxml --inactive web1", d.ReadFrom);
        Assert.Empty(d.Warnings);
        var sample = DomainXml.Parse(DomainSamples.BiosI440fx, "sample");
        Assert.Equal(
            HardwareJson.Serialize(sample.Disks.Concat<object>(sample.Interfaces).Append(sample.Firmware)),
            HardwareJson.Serialize(d.Disks.Concat<object>(d.Interfaces).Append(d.Firmware)));
        Assert.Equal((4, 2, 4L << 30), (d.Vcpus!.Value, d.CurrentVcpus!.Value, d.MemoryBytes!.Value));

        Assert.Equal(["installed", "before-upgrade"], d.Snapshots!.Select(s => s.Name));
        var latest = d.Snapshots![1];
        Assert.Equal("installed", latest.Parent);
        Assert.Equal("clean install", latest.Description);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732000000), latest.CreationTime);
        Assert.Equal([new DomainSnapshotDisk { Name = "vda", Kind = "internal" }], latest.Disks);
        Assert.Equal([false, true], d.Snapshots!.Select(s => s.Current)); // from snapshot-current
    }

    [Fact]
    public void Unknown_domain_names_virsh_and_the_uri()
    {
        var e = Assert.Throws<KeyNotFoundException>(
            () => DomainSource.LoadByName("db7", new DomainLookup { ConnectUri = _uri, ConfigDirectory = _dir.Path }));
        Assert.Equal($"libvirt domain 'db7' not found: virsh -c {_uri} dumpxml db7 says error: failed to get domain 'db7'", e.Message);
    }

    [Fact]
    public void Default_uri_comes_from_libvirt_default_uri()
    {
        // Only this test reads the default URI, so changing the process environment is safe.
        string? saved = Environment.GetEnvironmentVariable("LIBVIRT_DEFAULT_URI");
        Environment.SetEnvironmentVariable("LIBVIRT_DEFAULT_URI", "test:///default");
        try
        {
            var d = DomainSource.LoadByName("test");
            Assert.Equal("virsh -c test:///default dumpxml --inactive test", d.ReadFrom);
            Assert.Equal("6695eb01-f6a4-8304-79aa-97f2502e193f", d.Uuid); // the test driver's built-in domain
            Assert.Equal(8L << 30, d.MemoryBytes);
            Assert.NotNull(d.Snapshots);
            Assert.Empty(d.Snapshots);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LIBVIRT_DEFAULT_URI", saved);
        }
    }
}
