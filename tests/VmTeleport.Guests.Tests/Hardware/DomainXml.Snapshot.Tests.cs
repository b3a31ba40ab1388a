using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

public sealed class DomainXmlSnapshotTests
{
    [Fact]
    public void Stored_snapshot_file()
    {
        var s = DomainXml.ParseSnapshot(DomainSamples.StoredSnapshot, "before-upgrade.xml");
        Assert.Equal(
            new DomainSnapshot
            {
                Name = "before-upgrade",
                CreationTime = new DateTimeOffset(2024, 11, 19, 7, 6, 40, TimeSpan.Zero),
                State = "shutoff",
                Description = "clean install, packages pinned",
                MemoryKind = "no",
                Parent = "installed",
                Current = true,
                Disks = s.Disks,
            },
            s);
        Assert.Equal(
            [new DomainSnapshotDisk { Name = "vda", Kind = "internal" }, new DomainSnapshotDisk { Name = "hdc", Kind = "no" }],
            s.Disks);
    }

    [Fact]
    public void External_snapshot_with_memory_state()
    {
        const string xml = """
            <domainsnapshot>
              <name>live-1</name>
              <state>running</state>
              <creationTime>1700000000</creationTime>
              <memory snapshot='external' file='/var/lib/libvirt/qemu/snapshot/web1/live-1.mem'/>
              <disks>
                <disk name='vda' snapshot='external' type='file'>
                  <driver type='qcow2'/>
                  <source file='/var/lib/libvirt/images/web1.live-1'/>
                </disk>
              </disks>
            </domainsnapshot>
            """;
        var s = DomainXml.ParseSnapshot(xml, "virsh snapshot-dumpxml");
        Assert.Equal("external", s.MemoryKind);
        Assert.Equal("/var/lib/libvirt/qemu/snapshot/web1/live-1.mem", s.MemoryFile);
        Assert.Equal(
            [new DomainSnapshotDisk { Name = "vda", Kind = "external", SourceFile = "/var/lib/libvirt/images/web1.live-1", DriverType = "qcow2" }],
            s.Disks);
        Assert.Null(s.Parent);
        Assert.Null(s.Current); // snapshot-dumpxml does not say
        Assert.Null(s.Description);
    }

    [Theory]
    [InlineData("<domainsnapshot><state>shutoff</state></domainsnapshot>", "<domainsnapshot>: has no <name>")]
    [InlineData("<domain><name>x</name></domain>", "the root element is <domain>, not <domainsnapshot>")]
    [InlineData("<domainsnapshot><name>a</name><creationTime>yesterday</creationTime></domainsnapshot>", "<creationTime>: value 'yesterday'")]
    [InlineData("<domainsnapshot><name>a</name><creationTime>99999999999999</creationTime></domainsnapshot>", "after the year 9999")]
    [InlineData("<domainsnapshot><name>a</name><active>yes</active></domainsnapshot>", "<active>: 'yes' is neither 0 nor 1")]
    [InlineData("<domainsnapshot><name>a</name><disks><disk snapshot='no'/></disks></domainsnapshot>", "<disk>: has no name attribute")]
    [InlineData("<domainsnapshot><name>a</name>", "not well-formed")]
    public void Refused(string xml, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => DomainXml.ParseSnapshot(xml, "snap.xml"));
        Assert.StartsWith("snap.xml: line ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
