using VmTeleport.Guests.Hardware;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`deploy`: the source domain's hardware around the teleported disk, written and defined in libvirt's test driver.</summary>
public sealed class DeployCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-deploy-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void The_domain_has_the_source_hardware_and_the_new_disk_and_libvirt_defines_it()
    {
        var disk = Path.Combine(_dir, "teleported.qcow2");
        File.Copy(Fixtures.Path("demo", "demo.qcow2"), disk);
        var sourceXml = Path.Combine(_dir, "source.xml");
        File.WriteAllText(sourceXml, ExternalCommand.Check("virsh", "-c", "test:///default", "dumpxml", "test"));
        var source = DomainXml.Parse(File.ReadAllText(sourceXml), "source");
        var output = Path.Combine(_dir, "teleported.xml");

        Cli.Ok("deploy", "--disk", disk, "--domain-xml", sourceXml, "--output", output, "--domain-type", "test");

        var written = DomainXml.Parse(File.ReadAllText(output), output);
        Assert.Equal("teleported", written.Name);
        Assert.Equal((source.Vcpus, source.MemoryBytes), (written.Vcpus, written.MemoryBytes));
        Assert.Equal(source.Interfaces.Select(i => i.Mac), written.Interfaces.Select(i => i.Mac));
        Assert.Equal((disk, "qcow2"), (written.Disks.Single().Source?.File, written.Disks.Single().DriverType));

        var defined = Cli.Run("deploy", "--disk", disk, "--domain-xml", sourceXml, "--domain-type", "test", "--define", "--connect", "test:///default");
        Assert.True(defined.ExitCode == 0, defined.StdErr);
        Assert.Contains("defined domain teleported", defined.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_source_hardware_or_disk_it_is_a_clear_error()
    {
        Assert.Equal(2, Cli.Run("deploy", "--disk", Fixtures.Path("demo", "demo.qcow2")).ExitCode);
        var missing = Cli.Run("deploy", "--disk", Path.Combine(_dir, "nope.qcow2"), "--domain", "test", "--connect", "test:///default");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("nope.qcow2", missing.StdErr, StringComparison.Ordinal);
    }
}
