using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>--domain NAME without a reachable libvirtd: libvirt's config and snapshot directories.</summary>
public sealed class DomainSourceConfigDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public DomainSourceConfigDirectoryTests()
    {
        _dir.Write("qemu/web1.xml", DomainSamples.BiosI440fx);
        _dir.Write("snapshot/web1/before-upgrade.xml", DomainSamples.StoredSnapshot);
        _dir.Write("snapshot/web1/installed.xml", """
            <domainsnapshot>
              <name>installed</name>
              <state>shutoff</state>
              <creationTime>1731000000</creationTime>
              <memory snapshot='no'/>
              <disks><disk name='vda' snapshot='internal'/></disks>
              <active>0</active>
            </domainsnapshot>
            """);
        _dir.Write("snapshot/web1/notes.txt", "not a snapshot");
    }

    private DomainLookup Lookup(string? virsh = "/nonexistent/virsh", string? uri = null) => new()
    {
        VirshPath = virsh,
        ConnectUri = uri,
        ConfigDirectory = Path.Combine(_dir.Path, "qemu"),
        SnapshotDirectory = Path.Combine(_dir.Path, "snapshot"),
    };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Without_virsh_the_config_file_and_snapshot_files_are_read()
    {
        var d = DomainSource.LoadByName("web1", Lookup());
        string file = Path.Combine(_dir.Path, "qemu", "web1.xml");
        Assert.Equal(file, d.ReadFrom);
        Assert.Equal(
            HardwareJson.Serialize(DomainXml.Parse(DomainSamples.BiosI440fx, file)),
            HardwareJson.Serialize(d with { Snapshots = null, Warnings = [] }));
        Assert.Equal(["installed", "before-upgrade"], d.Snapshots!.Select(s => s.Name));
        Assert.Equal([false, true], d.Snapshots!.Select(s => s.Current));
        Assert.Equal("installed", d.Snapshots![1].Parent);
        Assert.Equal([$"there is no virsh at /nonexistent/virsh; read {file} instead"], d.Warnings);
    }

    [Fact]
    public void Virsh_that_cannot_connect_falls_back()
    {
        var d = DomainSource.LoadByName("web1", Lookup(virsh: null, uri: "qemu+unix:///system?socket=/nonexistent/libvirt-sock"));
        Assert.Equal("web1", d.Name);
        Assert.Equal(2, d.Snapshots!.Count);
        Assert.StartsWith("virsh could not connect to qemu+unix:///system?socket=/nonexistent/libvirt-sock (error: failed to connect to the hypervisor", d.Warnings.Single());
    }

    [Fact]
    public void Virsh_that_hangs_is_killed_within_the_budget()
    {
        string fake = _dir.Write("bin/virsh", "#!/bin/sh\nsleep 120\n");
        VmTeleport.TestSupport.ExternalCommand.Check("chmod", "755", fake);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var d = DomainSource.LoadByName("web1", Lookup(virsh: fake) with { VirshTimeout = TimeSpan.FromSeconds(1) });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("web1", d.Name);
        Assert.Contains("(timed out)", d.Warnings.Single());
    }

    [Fact]
    public void Domain_without_snapshot_directory_has_none()
    {
        _dir.Write("qemu/desk-uefi.xml", DomainSamples.UefiQ35);
        var d = DomainSource.LoadByName("desk-uefi", Lookup());
        Assert.Equal("efi", d.Firmware.Kind);
        Assert.NotNull(d.Snapshots);
        Assert.Empty(d.Snapshots);
    }

    [Fact]
    public void Unknown_domain_says_where_it_looked()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => DomainSource.LoadByName("db7", Lookup()));
        Assert.Equal(
            $"libvirt domain 'db7' not found: there is no virsh at /nonexistent/virsh, and there is no {Path.Combine(_dir.Path, "qemu", "db7.xml")}",
            e.Message);
    }

    [Fact]
    public void Config_file_for_another_name_is_refused()
    {
        _dir.Write("qemu/web2.xml", DomainSamples.BiosI440fx);
        var e = Assert.Throws<InvalidDataException>(() => DomainSource.LoadByName("web2", Lookup()));
        Assert.Contains("named 'web1', not 'web2'", e.Message);
    }

    [Fact]
    public void Corrupt_snapshot_file_is_named()
    {
        string bad = _dir.Write("snapshot/web1/broken.xml", "<domainsnapshot><name>broken</name>");
        var e = Assert.Throws<InvalidDataException>(() => DomainSource.LoadByName("web1", Lookup()));
        Assert.StartsWith(bad + ": line 1", e.Message);
    }

    [Fact]
    public void Remote_uri_does_not_fall_back_to_the_system_directory()
    {
        var lookup = new DomainLookup { VirshPath = "/nonexistent/virsh", ConnectUri = "qemu+ssh://elsewhere/system" };
        var e = Assert.Throws<IOException>(() => DomainSource.LoadByName("web1", lookup));
        Assert.Contains("/etc/libvirt/qemu only holds qemu:///system domains, not qemu+ssh://elsewhere/system's", e.Message);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public void Names_that_are_paths_are_refused(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => DomainSource.LoadByName(name, Lookup()));
}
