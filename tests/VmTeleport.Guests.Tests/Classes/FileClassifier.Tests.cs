using VmTeleport.FileSystems;
using VmTeleport.Guests.Classes;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Manifest;
using VmTeleport.Guests.Tests.Support;

namespace VmTeleport.Guests.Tests.Classes;

public sealed class FileClassifierTests
{
    private static Dictionary<string, ClassifiedEntry> ClassifyAll(MemoryFileSystem fs, ClassPolicy policy, out FileClassifier classifier)
    {
        var db = DpkgDatabase.Read(fs, new List<string>());
        classifier = new FileClassifier(db, policy);
        var result = new Dictionary<string, ClassifiedEntry>();
        foreach (var e in fs.Walk())
        {
            var md5 = classifier.NeedsMd5(e) ? FileDigest.Compute(fs, e, md5: true, sha256: false).Md5 : null;
            result[e.Path] = classifier.Classify(e, md5);
        }

        return result;
    }

    [Fact]
    public void Every_case_gets_its_class_and_deciding_package()
    {
        var c = ClassifyAll(SampleGuest.Build(), ClassPolicy.Default, out var classifier);
        Assert.Equal(new ClassifiedEntry(FileClass.Package, "coreutils"), c["/usr/bin/ls"]);
        Assert.Equal(new ClassifiedEntry(FileClass.Package, "bash"), c["/usr/bin/sh.distrib"]);
        Assert.Equal(new ClassifiedEntry(FileClass.Package, "dash"), c["/usr/bin/sh"]); // a symlink: nothing to compare
        Assert.Equal(new ClassifiedEntry(FileClass.Package, "libc6"), c["/usr/lib/x86_64-linux-gnu/libc.so.6"]);
        Assert.Equal(new ClassifiedEntry(FileClass.Package, "oldpkg"), c["/etc/old.conf"]);
        Assert.Equal(new ClassifiedEntry(FileClass.PackageModified, "ssh-client"), c["/etc/ssh/ssh_config"]);
        Assert.Equal(new ClassifiedEntry(FileClass.PackageModified, "coreutils"), c["/usr/share/doc/coreutils/copyright"]);
        Assert.Equal(new ClassifiedEntry(FileClass.PackageModified, "nomd5"), c["/usr/share/nomd5/file"]);
        Assert.Equal(new ClassifiedEntry(FileClass.Unowned, null), c["/home/alice/notes.txt"]);
        Assert.Equal(new ClassifiedEntry(FileClass.Unowned, null), c["/tmp"]); // the directory stays; its contents are ephemeral
        Assert.Equal(new ClassifiedEntry(FileClass.Ephemeral, null), c["/tmp/scratch"]);
        Assert.Equal(new ClassifiedEntry(FileClass.Ephemeral, null), c["/var/lib/apt/lists/deb.debian.org_Packages"]);
        Assert.Equal(new ClassifiedEntry(FileClass.Package, "coreutils"), c["/"]);

        Assert.Equal(new Dictionary<string, int> { ["nomd5"] = 1 }, classifier.Unverifiable);
        Assert.Equal([("/etc/ssh/gone.conf", "ssh-client"), ("/usr/bin/rm", "coreutils")], classifier.Missing());
    }

    [Fact]
    public void Totals_count_entries_and_file_bytes_per_class_and_top_directory()
    {
        var fs = SampleGuest.Build();
        ClassifyAll(fs, ClassPolicy.Default, out var classifier);
        var all = fs.Walk().ToList();
        Assert.Equal(all.Count, classifier.Totals.Values.Sum(t => t.Count));
        Assert.Equal(all.Where(e => e.Type == EntryType.File).Sum(e => e.Size), classifier.Totals.Values.Sum(t => t.Bytes));
        Assert.Equal(new ClassTotals { Count = 2, Bytes = "temporary".Length + "index".Length }, classifier.Totals[FileClass.Ephemeral]);
        var home = classifier.TotalsByDirectory["/home"];
        Assert.Equal(3, home[FileClass.Unowned].Count); // /home, /home/alice and the file
        Assert.Equal("user data".Length, home[FileClass.Unowned].Bytes);
        // The root directory and the top-level symlink /bin -> usr/bin; only directories get their own row.
        Assert.Equal(2, classifier.TotalsByDirectory["/"][FileClass.Package].Count);
        Assert.False(classifier.TotalsByDirectory.ContainsKey("/bin"));
    }

    [Fact]
    public void A_user_policy_overrides_the_default_and_never_beats_ownership()
    {
        var policy = ClassPolicy.WithOverrides("# keep scratch files\nkeep /tmp/scratch\nephemeral /home/**\nephemeral /usr/bin/*\n", "my.policy");
        var c = ClassifyAll(SampleGuest.Build(), policy, out _);
        Assert.Equal(FileClass.Unowned, c["/tmp/scratch"].Class);
        Assert.Equal(FileClass.Ephemeral, c["/home/alice/notes.txt"].Class);
        Assert.Equal(FileClass.Package, c["/usr/bin/ls"].Class);
    }

    [Theory]
    [InlineData("delete /tmp/**", "my.policy:1: expected \"ephemeral PATTERN\" or \"keep PATTERN\", found: delete /tmp/**")]
    [InlineData("\nephemeral", "my.policy:2: expected \"ephemeral PATTERN\" or \"keep PATTERN\", found: ephemeral")]
    [InlineData("ephemeral tmp/*", "my.policy:1: pattern \"tmp/*\" is not an absolute path")]
    public void A_bad_policy_file_is_refused_naming_the_line(string text, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => ClassPolicy.WithOverrides(text, "my.policy")).Message);

    [Fact]
    public void Without_a_package_database_nothing_is_owned()
    {
        var fs = new MemoryFileSystem().File("/usr/bin/x", "x").File("/run/y", "y");
        var classifier = new FileClassifier(null, ClassPolicy.Default);
        Assert.False(classifier.NeedsMd5(fs.GetEntry("/usr/bin/x")));
        Assert.Equal(FileClass.Unowned, classifier.Classify(fs.GetEntry("/usr/bin/x"), null).Class);
        Assert.Equal(FileClass.Ephemeral, classifier.Classify(fs.GetEntry("/run/y"), null).Class);
        Assert.Empty(classifier.Missing());
    }
}
