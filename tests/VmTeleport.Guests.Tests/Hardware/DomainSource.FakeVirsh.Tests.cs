using VmTeleport.Guests.Hardware;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>virsh answers the test driver cannot give: a driver without snapshots, an internal error.</summary>
public sealed class DomainSourceFakeVirshTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A virsh stand-in: argument 4 is the command (after --readonly --connect URI).</summary>
    private DomainLookup FakeVirsh(string script)
    {
        string path = _dir.Write("bin/virsh", "#!/bin/sh\n" + script);
        ExternalCommand.Check("chmod", "755", path);
        return new DomainLookup { VirshPath = path, ConnectUri = "qemu:///system", ConfigDirectory = _dir.Path };
    }

    [Fact]
    public void Snapshots_the_driver_cannot_list_leave_a_warning_not_a_failure()
    {
        string xml = _dir.Write("web1.dump", DomainSamples.BiosI440fx);
        var lookup = FakeVirsh($"""
            case "$4" in
              dumpxml) cat '{xml}' ;;
              *) echo "error: this function is not supported by the connection driver: virDomainSnapshotNum" >&2; exit 1 ;;
            esac
            """);
        var d = DomainSource.LoadByName("web1", lookup);
        Assert.Equal(4, d.Vcpus);
        Assert.Null(d.Snapshots);
        Assert.Equal(
            ["snapshots not read: virsh -c qemu:///system snapshot-list web1 --name failed: error: this function is not supported by the connection driver: virDomainSnapshotNum"],
            d.Warnings);
    }

    [Fact]
    public void Other_virsh_failures_are_io_errors_without_fallback()
    {
        _dir.Write("web1.xml", DomainSamples.BiosI440fx); // present, but virsh did connect
        var lookup = FakeVirsh("echo 'error: internal error: cannot parse' >&2; exit 1\n");
        var e = Assert.Throws<IOException>(() => DomainSource.LoadByName("web1", lookup));
        Assert.Equal("virsh -c qemu:///system dumpxml web1 failed (exit 1): error: internal error: cannot parse", e.Message);
    }

    [Fact]
    public void Virsh_printing_garbage_is_invalid_data_naming_the_command()
    {
        var lookup = FakeVirsh("echo 'Segmentation fault'\n");
        var e = Assert.Throws<InvalidDataException>(() => DomainSource.LoadByName("web1", lookup));
        Assert.StartsWith("virsh -c qemu:///system dumpxml --inactive web1: line 1", e.Message);
    }

    [Fact]
    public void Virsh_that_cannot_be_executed_is_an_io_error()
    {
        string path = _dir.Write("bin/virsh", "not a program");
        var lookup = new DomainLookup { VirshPath = path, ConfigDirectory = _dir.Path };
        var e = Assert.Throws<IOException>(() => DomainSource.LoadByName("web1", lookup));
        Assert.StartsWith($"could not start {path}", e.Message);
    }
}
