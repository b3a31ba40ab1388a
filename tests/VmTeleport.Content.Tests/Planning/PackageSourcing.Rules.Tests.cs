using System.Security.Cryptography;
using VmTeleport.Content.Index;
using VmTeleport.Content.Planning;
using VmTeleport.Content.Tests.Support;
using VmTeleport.Guests.Dpkg;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Planning;

/// <summary>
/// The package plan on a real index: tiny .debs built by dpkg-deb, and APT repositories (dists/
/// layouts and a flat one with a Release file) whose Packages the test writes, read from paths.
/// Every rule and every reason of docs/planning.md "Newer packages", under both policies.
/// </summary>
public sealed class PackageSourcingRulesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ContentIndex _index;
    private readonly Dictionary<string, string> _debs = new(StringComparer.Ordinal);

    public PackageSourcingRulesTests()
    {
        _index = ContentIndex.Open(_dir.Combine("data"), 2);
        Repository("bookworm", ("exact-deb", "1.0-1", "amd64"), ("exact-repo", "2.0-1", "all"), ("newer-sec", "1.5-1", "amd64"),
            ("newer-main", "1.2-1", "amd64"), ("older-only", "1.0-1", "amd64"), ("arch-pkg", "1.1-1", "i386"), ("all-pkg", "1.1-1", "all"),
            ("deb-and-repo", "1.1-1", "amd64"));
        Repository("bookworm-security", ("newer-sec", "1:1.1-1", "amd64"), ("deb-and-repo", "1.1-1", "amd64"));
        Repository("bookworm-updates", ("newer-upd", "1.1-1", "amd64"));
        Repository("bookworm-backports", ("newer-sec", "1:2.0-1", "amd64"), ("backports-only", "1.1-1", "amd64"));
        Repository("bookworm-proposed-updates", ("proposed-only", "1.1-1", "amd64"));
        Repository("trixie", ("other-release", "2.0-1", "amd64"));
        Flat("Suite: stable\nCodename: bookworm\n", ("flat-pkg", "1.3-1", "amd64"));

        _index.AddDeb(Deb("exact-deb", "1.0-1", "amd64"), "bookworm");
        _index.AddDeb(Deb("unknown-suite", "1.1-1", "amd64"));
        _index.AddDeb(Deb("deb-and-repo", "1.1-1", "amd64"), "bookworm-security");
    }

    public void Dispose()
    {
        _index.Dispose();
        _dir.Dispose();
    }

    private static readonly string[] ThirdParty = ["http://deb.debian.org/debian", "http://security.debian.org/debian-security", "https://packages.example.com/apt/"];

    [Fact]
    public void Exact_versions_come_from_a_deb_before_a_repository()
    {
        var c = Plan(NewerPolicy.None, ("exact-deb", "1.0-1", "amd64"), ("exact-repo", "2.0-1", "all"));
        Assert.Equal((PackageAction.Exact, "1.0-1", SourceKind.Deb), (c[0].Action, c[0].Version, c[0].FromKind!.Value));
        Assert.Equal(_debs["exact-deb_1.0-1_amd64"], c[0].From);
        Assert.Equal("bookworm", c[0].Suite);
        Assert.StartsWith("exact version in ", c[0].Reason, StringComparison.Ordinal);

        Assert.Equal((PackageAction.Exact, SourceKind.AptRepository, "all"), (c[1].Action, c[1].FromKind!.Value, c[1].Architecture));
        Assert.Equal(_debs["exact-repo_2.0-1_all"], c[1].From); // the archive's location in the pool
        Assert.Equal(new FileInfo(c[1].From!).Length, c[1].Package!.ArchiveSize);
        Assert.Contains("exact version in the repository ", c[1].Reason, StringComparison.Ordinal);
        Assert.Contains("(bookworm)", c[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_takes_the_highest_newer_version_of_the_release_without_backports_or_proposed_updates()
    {
        var c = Plan(NewerPolicy.Release,
            ("newer-sec", "1:1.0-1", "amd64"), ("newer-main", "1.0-1", "amd64"), ("newer-upd", "1.0-1", "amd64"),
            ("flat-pkg", "1.0-1", "amd64"), ("all-pkg", "1.0-1", "all"), ("backports-only", "1.0-1", "amd64"),
            ("proposed-only", "1.0-1", "amd64"), ("deb-and-repo", "1.0-1", "amd64"));

        // Epochs: 1.5-1 (bookworm) is older than 1:1.0-1; 1:2.0-1 is in backports; 1:1.1-1 wins.
        Assert.Equal((PackageAction.Newer, "1:1.1-1", "bookworm-security"), (c[0].Action, c[0].Version, c[0].Suite));
        Assert.Equal("1:1.0-1", c[0].SourceVersion);
        Assert.Equal($"newer 1:1.1-1 from bookworm-security ({c[0].From})", c[0].Reason);
        Assert.Equal((PackageAction.Newer, "1.2-1", "bookworm"), (c[1].Action, c[1].Version, c[1].Suite));
        Assert.Equal((PackageAction.Newer, "bookworm-updates"), (c[2].Action, c[2].Suite));
        Assert.Equal((PackageAction.Newer, "1.3-1", "bookworm"), (c[3].Action, c[3].Version, c[3].Suite)); // flat repository, Release's Codename
        Assert.Equal((PackageAction.Newer, "1.1-1", "all"), (c[4].Action, c[4].Version, c[4].Architecture));
        Assert.Equal(PackageAction.Wire, c[5].Action);
        Assert.Equal("newer 1.1-1 only in suite bookworm-backports, which --allow-newer release does not allow", c[5].Reason);
        Assert.Equal("newer 1.1-1 only in suite bookworm-proposed-updates, which --allow-newer release does not allow", c[6].Reason);
        // The same version as a .deb and in a repository: the .deb.
        Assert.Equal((PackageAction.Newer, SourceKind.Deb), (c[7].Action, c[7].FromKind!.Value));

        // What a newer repository package carries is what FetchArchive needs.
        var p = c[1].Package!;
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(p.ArchiveLocation!)), p.ArchiveSha256);
        Assert.Equal(AddOutcome.Added, _index.FetchArchive(p).Outcome);
        var again = Plan(NewerPolicy.Release, ("newer-main", "1.0-1", "amd64"));
        Assert.Equal((PackageAction.Newer, SourceKind.Deb, "bookworm"), (again[0].Action, again[0].FromKind!.Value, again[0].Suite));
    }

    [Fact]
    public void Security_takes_only_security_and_updates_suites()
    {
        var c = Plan(NewerPolicy.Security, ("newer-sec", "1:1.0-1", "amd64"), ("newer-upd", "1.0-1", "amd64"), ("newer-main", "1.0-1", "amd64"));
        Assert.Equal((PackageAction.Newer, "1:1.1-1"), (c[0].Action, c[0].Version));
        Assert.Equal((PackageAction.Newer, "bookworm-updates"), (c[1].Action, c[1].Suite));
        Assert.Equal(PackageAction.Wire, c[2].Action);
        Assert.Equal("newer 1.2-1 only in suite bookworm, which --allow-newer security does not allow", c[2].Reason);
        Assert.Null(c[2].From);
        Assert.Equal("1.0-1", c[2].Version);
    }

    [Fact]
    public void Wire_reasons_say_why_nothing_local_will_do()
    {
        var c = Plan(NewerPolicy.Release,
            ("unknown-suite", "1.0-1", "amd64"), ("other-release", "1.0-1", "amd64"), ("older-only", "2.0-1", "amd64"),
            ("nowhere", "1.0", "amd64"), ("arch-pkg", "1.0-1", "amd64"));
        Assert.All(c, x => Assert.Equal(PackageAction.Wire, x.Action));
        Assert.Equal($"newer 1.1-1 in {_debs["unknown-suite_1.1-1_amd64"]} whose release is unknown (index it with --suite)", c[0].Reason);
        Assert.Equal("newer 2.0-1 is for release trixie, not the source's bookworm", c[1].Reason);
        Assert.Equal("version 2.0-1 missing at the destination; newest there is 1.0-1 (older)", c[2].Reason);
        Assert.Equal("not in any destination archive", c[3].Reason);
        Assert.Equal("version 1.0-1 missing at the destination; it has the package only for i386, not amd64", c[4].Reason);

        // Without a policy a newer archive is named but not taken; an unknown source release allows nothing.
        var none = Plan(NewerPolicy.None, ("newer-main", "1.0-1", "amd64"));
        Assert.Equal(PackageAction.Wire, none[0].Action);
        Assert.Matches(@"^version 1\.0-1 missing at the destination; newer 1\.2-1 in .*newer-main_1\.2-1_amd64\.deb needs --allow-newer$", none[0].Reason);
        var unknown = PackageSourcing.Plan(_index, [Package("newer-main", "1.0-1", "amd64")], null, NewerPolicy.Release);
        Assert.Equal("newer 1.2-1 is for release bookworm, not the source's (unknown)", unknown[0].Reason);
    }

    [Fact]
    public void A_package_nowhere_at_the_destination_names_the_source_third_party_repositories()
    {
        // Debian's own and the destination's repositories are not third-party.
        var own = Path.GetDirectoryName(_dir.Combine("dists/trixie/"))!;
        var c = PackageSourcing.Plan(_index, [Package("nowhere", "1.0", "amd64"), Package("older-only", "2.0-1", "amd64")], "bookworm",
            NewerPolicy.Release, [.. ThirdParty, "file://" + own]);
        Assert.Equal("not in any destination archive; only in the source's third-party repository https://packages.example.com/apt/", c[0].Reason);
        Assert.EndsWith("(older)", c[1].Reason, StringComparison.Ordinal); // known at the destination: no repository named

        var debianOnly = PackageSourcing.Plan(_index, [Package("nowhere", "1.0", "amd64")], "bookworm", NewerPolicy.Release, ThirdParty[..2]);
        Assert.Equal("not in any destination archive", debianOnly[0].Reason);
    }

    [Fact]
    public void An_image_dpkg_list_gives_exact_versions_only_when_no_archive_has_them()
    {
        var image = Fixtures.Path("guests", "ubuntu2204.qcow2");
        Assert.All(_index.AddImage(image), r => Assert.NotEqual(AddOutcome.Failed, r.Outcome));
        var source = new[] { Package("tinyweb", "1.0-1", "amd64"), Package("hello", "2.10-2ubuntu4", "amd64"), Package("hello", "9", "amd64") };

        var c = PackageSourcing.Plan(_index, source, "jammy", NewerPolicy.Release);
        Assert.Equal((PackageAction.Exact, SourceKind.Image, Path.GetFullPath(image)), (c[0].Action, c[0].FromKind!.Value, c[0].From));
        Assert.Contains("no archive", c[0].Reason, StringComparison.Ordinal);
        Assert.Equal(PackageAction.Exact, c[1].Action);
        Assert.Equal("version 9 missing at the destination; newest there is 2.10-2ubuntu4 (older)", c[2].Reason);

        _index.AddDeb(Deb("tinyweb", "1.0-1", "amd64"));
        var withDeb = PackageSourcing.Plan(_index, source, "jammy", NewerPolicy.Release);
        Assert.Equal((PackageAction.Exact, SourceKind.Deb), (withDeb[0].Action, withDeb[0].FromKind!.Value));

        // A version only installed in an image (no archive) is not a newer package.
        var older = PackageSourcing.Plan(_index, [Package("hello", "2.0-1", "amd64")], "jammy", NewerPolicy.Release);
        Assert.Equal("version 2.0-1 missing at the destination; 2.10-2ubuntu4 is only installed in " + Path.GetFullPath(image) + " (no archive to install it from)", older[0].Reason);
    }

    [Fact]
    public void Packages_without_installed_files_are_left_out()
    {
        var gone = Package("exact-deb", "1.0-1", "amd64") with { State = "config-files", Status = "deinstall ok config-files" };
        var c = PackageSourcing.Plan(_index, [gone, Package("nowhere", "1", "amd64")], "bookworm", NewerPolicy.Release);
        Assert.Equal("nowhere", Assert.Single(c).Name);
    }

    private List<PackageChoice> Plan(NewerPolicy policy, params (string Name, string Version, string Arch)[] packages) =>
        [.. PackageSourcing.Plan(_index, packages.Select(p => Package(p.Name, p.Version, p.Arch)), "bookworm", policy)];

    private static DpkgPackage Package(string name, string version, string arch) => new()
    {
        Name = name,
        Version = version,
        Architecture = arch,
        Source = name,
        SourceVersion = version,
        Status = "install ok installed",
        State = "installed",
    };

    private string Deb(string name, string version, string arch, string directory = "debs")
    {
        var deb = DebBuilder.Build(_dir.Combine(directory), name, version, arch);
        _debs[$"{name}_{version}_{arch}"] = deb;
        return deb;
    }

    /// <summary>A repository at DIR/dists/SUITE/main/binary-amd64/Packages over archives in DIR/pool.</summary>
    private void Repository(string suite, params (string Name, string Version, string Arch)[] packages)
    {
        var debs = packages.Select(p => Deb(p.Name, p.Version, p.Arch, $"pool/{suite}")).ToList();
        var index = DebBuilder.Index(_dir.Path, _dir.Combine($"dists/{suite}/main/binary-amd64/Packages"), debs);
        Assert.Equal(AddOutcome.Added, _index.AddAptRepository(index).Outcome);
    }

    private void Flat(string release, params (string Name, string Version, string Arch)[] packages)
    {
        var debs = packages.Select(p => Deb(p.Name, p.Version, p.Arch, "flat")).ToList();
        var index = DebBuilder.Index(_dir.Combine("flat"), _dir.Combine("flat/Packages"), debs, release);
        Assert.Equal(AddOutcome.Added, _index.AddAptRepository(index).Outcome);
    }
}
