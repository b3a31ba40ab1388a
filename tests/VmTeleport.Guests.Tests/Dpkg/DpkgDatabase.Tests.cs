using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Tests.Support;

namespace VmTeleport.Guests.Tests.Dpkg;

public sealed class DpkgDatabaseTests
{
    private static (DpkgDatabase Db, List<string> Problems) Read(MemoryFileSystem fs)
    {
        var problems = new List<string>();
        return (DpkgDatabase.Read(fs, problems)!, problems);
    }

    [Fact]
    public void Lists_every_package_but_the_not_installed_ones_with_their_fields()
    {
        var (db, _) = Read(SampleGuest.Build());
        Assert.Equal(["bash", "coreutils", "dash", "libc6", "nomd5", "oldpkg", "ssh-client"], db.Packages.Select(p => p.Name));
        var coreutils = db.Packages.Single(p => p.Name == "coreutils");
        Assert.Equal(("9.1-1", "amd64", "coreutils", "9.1-1", "installed", 18062L * 1024, true), (coreutils.Version, coreutils.Architecture, coreutils.Source, coreutils.SourceVersion, coreutils.State, coreutils.InstalledSize, coreutils.Essential));
        Assert.Equal(6, coreutils.FileCount); // "/." counts as the root directory
        var bash = db.Packages.Single(p => p.Name == "bash");
        Assert.Equal(("bash", "5.2.15-2"), (bash.Source, bash.SourceVersion));
        Assert.Equal("glibc", db.Packages.Single(p => p.Name == "libc6").Source);
        Assert.Equal("config-files", db.Packages.Single(p => p.Name == "oldpkg").State);
        var ssh = db.Packages.Single(p => p.Name == "ssh-client");
        Assert.Equal([new DpkgConffile("/etc/ssh/ssh_config", SampleGuest.Md5("Host *\n"), false, false), new DpkgConffile("/etc/ssh/gone.conf", SampleGuest.Md5("x"), true, false)], ssh.Conffiles);
    }

    [Fact]
    public void Paths_are_owned_where_they_are_today_through_merged_usr_and_diversions()
    {
        var (db, _) = Read(SampleGuest.Build());
        Assert.Equal([new FileOwner("coreutils", SampleGuest.Md5("ls-binary"), false)], db.OwnersOf("/usr/bin/ls"));
        Assert.Empty(db.OwnersOf("/bin/ls"));
        // bash's /bin/sh is diverted by dash: bash's file lives at /bin/sh.distrib, dash's at /bin/sh.
        Assert.Equal([new FileOwner("bash", SampleGuest.Md5("bash-sh"), false)], db.OwnersOf("/usr/bin/sh.distrib"));
        Assert.Equal([new FileOwner("dash", null, false)], db.OwnersOf("/usr/bin/sh"));
        Assert.Equal("libc6", db.OwnersOf("/usr/lib/x86_64-linux-gnu/libc.so.6").Single().Package);
        Assert.Equal(new FileOwner("ssh-client", SampleGuest.Md5("Host *\n"), true), db.OwnersOf("/etc/ssh/ssh_config").Single());
        Assert.Equal(new FileOwner("oldpkg", SampleGuest.Md5("old\n"), true), db.OwnersOf("/etc/old.conf").Single());
        Assert.Equal(new FileOwner("nomd5", null, false), db.OwnersOf("/usr/share/nomd5/file").Single());
        Assert.Equal(["coreutils"], db.OwnersOf("/").Select(o => o.Package));
        Assert.Equal([new DpkgDiversion("/bin/sh", "/bin/sh.distrib", "dash")], db.Diversions);
    }

    [Fact]
    public void A_damaged_status_file_is_read_as_far_as_it_goes()
    {
        var fs = SampleGuest.Build()
            .File("/var/lib/dpkg/status", "Status: install ok installed\nVersion: 1\n\nPackage: good\nStatus: install ok installed\nArchitecture: all\nVersion: 2\n\nPackage: noversion\nStatus: install ok installed\nArchitecture: all\n\nPackage: badstatus\nStatus: installed\n\nPackage: trunc\nStatus: install ok inst");
        var (db, problems) = Read(fs);
        Assert.Equal(["good"], db.Packages.Select(p => p.Name));
        Assert.Contains("/var/lib/dpkg/status:1: paragraph without a Package field, skipped", problems);
        Assert.Contains("/var/lib/dpkg/status:9: package noversion is installed but has no Version field, skipped", problems);
        Assert.Contains("/var/lib/dpkg/status:13: package badstatus has no valid Status field (\"want flag state\"), skipped", problems);
        Assert.Contains("package good: /var/lib/dpkg/info/good.list is missing: its files are not known", problems);
        Assert.Equal(5, problems.Count);
        Assert.Contains("/var/lib/dpkg/status:16: package trunc is inst but has no Version field, skipped", problems);
    }

    [Fact]
    public void Missing_info_files_and_bad_md5sums_lines_are_problems_not_failures()
    {
        var fs = SampleGuest.Build()
            .File("/var/lib/dpkg/info/coreutils.md5sums", "not-an-md5  bin/ls\n")
            .File("/var/lib/dpkg/info/dash.list", string.Empty);
        fs = RemoveFile(fs, "/var/lib/dpkg/info/bash.list");
        var (db, problems) = Read(fs);
        Assert.Contains("/var/lib/dpkg/info/coreutils.md5sums:1: not an md5sums line, skipped", problems);
        Assert.Contains("package bash: /var/lib/dpkg/info/bash.list is missing: its files are not known", problems);
        Assert.Equal(new FileOwner("coreutils", null, false), db.OwnersOf("/usr/bin/ls").Single());
    }

    [Fact]
    public void A_guest_without_a_status_file_has_no_database() =>
        Assert.Null(DpkgDatabase.Read(new MemoryFileSystem().File("/etc/hostname", "x"), new List<string>()));

    [Theory]
    [InlineData(null, "bash", "5.2.15-2+b2", "bash", "5.2.15-2+b2")]
    [InlineData("glibc", "libc6", "2.36-9", "glibc", "2.36-9")]
    [InlineData("bash (5.2.15-2)", "bash", "5.2.15-2+b2", "bash", "5.2.15-2")]
    public void Source_field_forms(string? field, string name, string version, string source, string sourceVersion) =>
        Assert.Equal((source, sourceVersion), DpkgDatabase.ParseSource(field, name, version));

    private static MemoryFileSystem RemoveFile(MemoryFileSystem fs, string path)
    {
        // Rebuild without the file: the memory filesystem has no delete on purpose (guests are read-only).
        var copy = new MemoryFileSystem();
        foreach (var e in fs.Walk().Where(e => e.Path != path && e.Path != "/"))
        {
            switch (e.Type)
            {
                case VmTeleport.FileSystems.EntryType.Directory: copy.Dir(e.Path); break;
                case VmTeleport.FileSystems.EntryType.Symlink: copy.Symlink(e.Path, e.Target!); break;
                default:
                    using (var s = fs.OpenRead(e))
                    using (var m = new MemoryStream())
                    {
                        s.CopyTo(m);
                        copy.File(e.Path, m.ToArray(), e.Mode, e.Uid);
                    }

                    break;
            }
        }

        return copy;
    }
}
