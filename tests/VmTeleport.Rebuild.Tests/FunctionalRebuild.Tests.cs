using VmTeleport.Content.Images;
using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.Guests;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Volumes;
using VmTeleport.Rebuild.Functional;
using VmTeleport.Rebuild.Verification;
using VmTeleport.TestSupport;

namespace VmTeleport.Rebuild.Tests;

/// <summary>
/// A functional copy of the real Debian guest: two of its packages (ifupdown, with conffiles,
/// systemd units and maintainer scripts, and sensible-utils, arch all) installed at a newer
/// version by the guest's own dpkg in a chroot of the staged tree, or refused by it (a failing
/// postinst) and rolled back to the source's version in place. Oracles: dpkg-query and
/// dpkg --verify in a chroot of the kernel's loop mount of the result, e2fsck, and verification
/// against the source image with the functional scope.
/// </summary>
public sealed class FunctionalRebuildTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-functional-").FullName;

    [Fact]
    public void A_newer_package_is_installed_a_refused_one_is_rolled_back_in_place_and_nothing_else_differs()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        var before = ImageFingerprint.Of(image);
        var upgrades = new List<PackageUpgrade> { Upgrade("ifupdown", postinst: null), Upgrade("sensible-utils", postinst: "#!/bin/sh\necho 'sensible-utils: fails on purpose' >&2\nexit 1\n") };
        var output = Path.Combine(_dir, "functional.qcow2");
        var logLines = new List<string>();
        IReadOnlyDictionary<string, string>? refused = null;

        var (functional, report) = Rebuild(image, output, upgrades, logLines.Add, refused: r => refused = r);

        // sensible-utils' old files came from the source, so verification holds them to it exactly.
        Assert.True(report.Functional, string.Join("\n", report.Differences));
        Assert.False(report.Exact);
        Assert.Equal(0, report.DifferenceCount);
        Assert.True(report.ExplainedDifferenceCount > 0);
        Assert.Equal(["sensible-utils"], refused!.Keys);
        Assert.Contains("iF", refused["sensible-utils"], StringComparison.Ordinal);
        var result = functional.Result!;
        Assert.Equal(["ifupdown"], result.Upgraded.Select(u => u.Name));
        Assert.Equal(["sensible-utils"], result.RolledBack.Keys);
        Assert.DoesNotContain(result.ScopeGuestPaths, p => p.Contains("sensible", StringComparison.Ordinal));
        Assert.Contains("fails on purpose", result.DpkgOutput, StringComparison.Ordinal);
        Assert.Contains("/usr/share/doc/ifupdown/VMTELEPORT-NEWER", result.ChangedGuestPaths);
        Assert.Contains("/usr/sbin/ifup", result.ChangedGuestPaths); // the list says /sbin/ifup: merged /usr
        Assert.Contains(logLines, l => l.Contains("discarded", StringComparison.Ordinal));

        var raw = RebuildHarness.ToRaw(output, _dir);
        var offset = RebuildHarness.ExtOffsets(image).Single();
        var fsck = ExternalCommand.Run("e2fsck", ["-fn", $"{raw}?offset={offset}"]);
        Assert.True(fsck.ExitCode == 0, fsck.StdOut + fsck.StdErr);
        using (var mount = LoopMount.Raw(raw, offset))
        {
            var packages = DpkgOracle.Packages(mount);
            Assert.Contains("ifupdown 0.8.41+vmt1 amd64", packages);
            Assert.Contains($"sensible-utils {Version(image, "sensible-utils")} all", packages);
            Assert.Contains("dpkg " + Version(image, "dpkg") + " amd64", packages);
            // dpkg --verify finds what it found in the source (the builder's edits), nothing more.
            var (changed, missing) = DpkgOracle.Verify(mount);
            var source = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(image)!, "dpkg-verify.txt"));
            Assert.Equal(source.Where(l => l.StartsWith("missing", StringComparison.Ordinal)).Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..]).Order(), missing.Order());
            Assert.Equal(source.Where(l => !l.StartsWith("missing", StringComparison.Ordinal)).Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..]).Order(), changed.Order());
            Assert.Equal("newer\n", File.ReadAllText(Path.Combine(mount.MountPoint, "usr/share/doc/ifupdown/VMTELEPORT-NEWER")));
            Assert.False(File.Exists(Path.Combine(mount.MountPoint, "usr/share/doc/sensible-utils/VMTELEPORT-NEWER")));
            Assert.False(File.Exists(Path.Combine(mount.MountPoint, "usr/share/bug/ifupdown")));
            // The staging-only policy-rc.d and the maintainer scripts' logs are gone.
            Assert.False(File.Exists(Path.Combine(mount.MountPoint, "usr/sbin/policy-rc.d")));
        }

        Assert.Equal(before, ImageFingerprint.Of(image));
    }

    [Fact]
    public void A_failing_maintainer_script_names_the_package_and_writes_nothing()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        var upgrades = new List<PackageUpgrade> { Upgrade("ifupdown", postinst: null), Upgrade("sensible-utils", postinst: "#!/bin/sh\necho 'sensible-utils: fails on purpose' >&2\nexit 1\n") };
        var output = Path.Combine(_dir, "failing.qcow2");

        // A work directory of its own: the other rebuild tests of this assembly run alongside.
        var memory = Directory.CreateTempSubdirectory("vmt-functional-shm-").FullName;
        var options = new RebuildOptions { MemoryDirectory = memory };

        var e = Assert.Throws<PackageInstallException>(() => Rebuild(image, output, upgrades, _ => { }, options));

        Assert.Equal(["sensible-utils"], e.Failed.Keys);
        Assert.Contains("fails on purpose", e.Log, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
        Assert.Empty(Directory.GetFileSystemEntries(memory));
        Assert.DoesNotContain(File.ReadAllLines("/proc/mounts"), l => l.Contains(memory, StringComparison.Ordinal));
        Directory.Delete(memory);
    }

    [Fact]
    public void A_guest_symlink_where_the_chroot_mounts_is_refused_and_nothing_is_mounted_on_the_host()
    {
        // A hostile guest: /proc -> an absolute path on the host. mount(8) would follow it.
        var victim = Directory.CreateTempSubdirectory("vmt-victim-").FullName;
        var work = Path.Combine(_dir, "work");
        var staging = Path.Combine(work, "staging-1");
        foreach (var d in new[] { "var/lib/dpkg/info", "usr/sbin", "dev", "run", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(staging, d));
        }

        File.CreateSymbolicLink(Path.Combine(staging, "proc"), victim);
        var deb = Directory.GetFiles(Fixtures.Path("debian", "debs"), "sensible-utils_*.deb").Single();
        var functional = new FunctionalRebuild
        {
            Upgrades = [new PackageUpgrade("sensible-utils", "all", "sensible-utils", "0", "1", deb)],
            SkippedGuestPaths = new HashSet<string>(),
            MountPoints = new Dictionary<int, string> { [1] = "/" },
        };

        var e = Assert.Throws<InvalidDataException>(() => ChrootInstaller.Install(work, new Dictionary<int, string> { [1] = staging }, functional, (_, _) => { }));

        Assert.Contains("proc", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines("/proc/mounts"), l => l.Contains(victim, StringComparison.Ordinal) || l.Contains(work, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(victim));
        Directory.Delete(victim);
    }

    private static (FunctionalRebuild Functional, ComparisonReport Report) Rebuild(string image, string output, IReadOnlyList<PackageUpgrade> upgrades, Action<string> log,
        RebuildOptions? options = null, Action<IReadOnlyDictionary<string, string>>? refused = null)
    {
        using var disk = DiskImage.Open(image);
        var layout = DiskLayout.Read(disk, 2);
        var mounts = FunctionalRebuild.MountPointsOf(layout);
        var resolver = GuestPathResolver.ForLayout(layout, mounts);
        var files = layout.Items.Where(i => i.Kind == ContentItemKind.File && i.GuestPath is not null).Select(i => i.GuestPath!).ToList();
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        using (var guest = GuestDisk.Open(disk))
        {
            var problems = new List<string>();
            foreach (var u in upgrades)
            {
                var list = DpkgInfoFiles.ListedPaths(GuestFiles.ReadText(guest.Guest!, $"/var/lib/dpkg/info/{u.InfoName}.list", 1 << 20, problems)!);
                var conffiles = (GuestFiles.ReadText(guest.Guest!, $"/var/lib/dpkg/info/{u.InfoName}.conffiles", 1 << 20, problems) ?? "")
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(resolver.Canonical);
                skipped.UnionWith(FunctionalRebuild.SkippableFiles(list.Select(resolver.Canonical), conffiles, files));
            }
        }

        Assert.Contains("/usr/sbin/ifup", skipped);
        Assert.DoesNotContain("/etc/default/networking", skipped); // a conffile: staged as the source has it
        using var provider = new SourceImageProvider(disk);
        var functional = new FunctionalRebuild
        {
            Upgrades = upgrades,
            SkippedGuestPaths = skipped,
            MountPoints = mounts,
            Log = log,
            Refused = refused is null ? null : r =>
            {
                refused(r);
                return provider;
            },
        };
        ComparisonReport? report = null;
        DiskRebuilder.Rebuild(layout, provider, output, partial =>
        {
            report = LayoutVerification.Compare(layout, partial, 2, cap: 50, FunctionalScope.From(functional.Result!, mounts));
            return report.Accepted;
        }, options, functional);
        return (functional, report!);
    }

    private PackageUpgrade Upgrade(string name, string? postinst)
    {
        var deb = Directory.GetFiles(Fixtures.Path("debian", "debs"), name + "_*.deb").Single();
        var info = ExternalCommand.Check("dpkg-deb", "-f", deb, "Version", "Architecture").Split('\n');
        var oldVersion = info[0]["Version: ".Length..].Trim();
        var arch = info[1]["Architecture: ".Length..].Trim();
        var newer = DebRepack.Repack(deb, _dir, oldVersion + "+vmt1",
            addFiles: new Dictionary<string, string> { [$"/usr/share/doc/{name}/VMTELEPORT-NEWER"] = "newer\n" },
            removeFiles: name == "ifupdown" ? ["/usr/share/bug/ifupdown"] : [],
            postinst: postinst);
        return new PackageUpgrade(name, arch, name, oldVersion, oldVersion + "+vmt1", newer);
    }

    private static string Version(string image, string package) =>
        File.ReadLines(Path.Combine(Path.GetDirectoryName(image)!, "packages.txt")).Select(l => l.Split(' ')).First(f => f[0] == package)[1];

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
