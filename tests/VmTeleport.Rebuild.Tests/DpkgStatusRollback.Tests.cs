using System.Text;
using System.Text.RegularExpressions;
using VmTeleport.Disks;
using VmTeleport.Guests;
using VmTeleport.Guests.Volumes;
using VmTeleport.Rebuild.Functional;
using VmTeleport.TestSupport;

namespace VmTeleport.Rebuild.Tests;

/// <summary>
/// The status file of the real Debian guest, as dpkg wrote it: a refused package's stanza goes
/// back byte for byte, and the newer packages that name a refused one go back with it.
/// </summary>
public sealed partial class DpkgStatusRollbackTests
{
    private static readonly Lazy<string> SourceStatus = new(() =>
    {
        using var disk = DiskImage.Open(Fixtures.Path("debian", "debian12.qcow2"));
        using var guest = GuestDisk.Open(disk);
        var problems = new List<string>();
        var bytes = Encoding.UTF8.GetBytes(GuestFiles.ReadText(guest.Guest!, "/var/lib/dpkg/status", 64 << 20, problems)!);
        return Encoding.Latin1.GetString(bytes);
    });

    [Fact]
    public void A_refused_package_gets_the_source_stanza_back_and_every_other_stanza_stays_as_dpkg_wrote_it()
    {
        var source = SourceStatus.Value;
        // What dpkg -i leaves: ifupdown installed at its newer version, sensible-utils half-configured at its own.
        var dpkg = Upgrade(Upgrade(source, "ifupdown", "install ok installed"), "sensible-utils", "install ok half-configured");
        Assert.NotEqual(source, dpkg);

        var merged = DpkgStatusRollback.Merge(dpkg, source, [Package("sensible-utils", "all")]);

        Assert.Equal(Upgrade(source, "ifupdown", "install ok installed"), merged);
        Assert.Equal(source, DpkgStatusRollback.Merge(merged, source, [Package("ifupdown", "amd64")]));
        var e = Assert.Throws<InvalidDataException>(() => DpkgStatusRollback.Merge(dpkg, source, [Package("no-such-package", "amd64")]));
        Assert.Contains("no-such-package:amd64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Newer_packages_naming_a_refused_one_in_their_relations_go_back_with_it()
    {
        var status = SourceStatus.Value;
        var upgrades = new[] { Package("libc6", "amd64"), Package("ifupdown", "amd64"), Package("sensible-utils", "all"), Package("adduser", "all") };
        Assert.Contains("libc6", Field(status, "ifupdown", "Depends"), StringComparison.Ordinal);
        Assert.DoesNotContain("libc6", Field(status, "sensible-utils", "Depends") ?? "", StringComparison.Ordinal);

        var back = DpkgStatusRollback.Closure(upgrades, new Dictionary<string, string> { ["libc6"] = "iF 2.36" }, status);

        Assert.Equal("iF 2.36", back["libc6"]);
        Assert.StartsWith("rolled back with libc6", back["ifupdown"], StringComparison.Ordinal);
        Assert.DoesNotContain("sensible-utils", back.Keys);
        // adduser names passwd, which names libc6 — but passwd is not among the upgrades, so nothing carries it back.
        Assert.DoesNotContain("adduser", back.Keys);
        Assert.Equal(["sensible-utils"], DpkgStatusRollback.Closure(upgrades, new Dictionary<string, string> { ["sensible-utils"] = "iF" }, status).Keys);
    }

    private static PackageUpgrade Package(string name, string arch) => new(name, arch, name, "old", "new", "/nonexistent.deb");

    /// <summary>The status text with <paramref name="package"/>'s Version bumped and its Status set, as dpkg would write it.</summary>
    private static string Upgrade(string status, string package, string state)
    {
        var stanza = StanzaPattern(package).Match(status);
        Assert.True(stanza.Success, package);
        var text = VersionLine().Replace(StatusLine().Replace(stanza.Value, $"Status: {state}\n"), m => m.Value.TrimEnd('\n') + "+vmt1\n");
        return status[..stanza.Index] + text + status[(stanza.Index + stanza.Length)..];
    }

    private static string? Field(string status, string package, string field)
    {
        var stanza = StanzaPattern(package).Match(status).Value;
        var line = stanza.Split('\n').FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line?[(field.Length + 1)..].Trim();
    }

    private static Regex StanzaPattern(string package) => new($"(?m)^Package: {Regex.Escape(package)}\n(?:.+\n)*");

    [GeneratedRegex("(?m)^Status: .*\n")]
    private static partial Regex StatusLine();

    [GeneratedRegex("(?m)^Version: .*\n")]
    private static partial Regex VersionLine();
}
