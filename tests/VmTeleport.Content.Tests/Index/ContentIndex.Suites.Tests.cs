using Microsoft.Data.Sqlite;
using VmTeleport.Content.Index;
using VmTeleport.Content.Tests.Support;

namespace VmTeleport.Content.Tests.Index;

/// <summary>
/// Schema version 2: the APT suite of each .deb and repository source (from --suite, the
/// repository's dists/ path or its Release file), and the in-place migration of a version-1 index.
/// </summary>
public sealed class ContentIndexSuitesTests
{
    [Fact]
    public void A_deb_keeps_the_suite_it_was_given_and_a_later_suite_is_recorded_without_reading_it()
    {
        using var dir = new TempDirectory();
        var deb = DebBuilder.Build(dir.Combine("debs"), "vmt-a", "1.0-1", "all");
        var other = DebBuilder.Build(dir.Combine("debs"), "vmt-b", "1.0-1", "all");
        using var index = ContentIndex.Open(dir.Combine("data"), 2);

        Assert.Equal(AddOutcome.Added, index.AddDeb(deb, "bookworm").Outcome);
        Assert.Equal(AddOutcome.Added, index.AddDeb(other).Outcome);
        Assert.Equal("bookworm", Suite(index, deb));
        Assert.Null(Suite(index, other));

        // Unchanged: skipped; a suite given now is recorded, none given keeps the old one.
        Assert.Equal(AddOutcome.Skipped, index.AddDeb(deb).Outcome);
        Assert.Equal("bookworm", Suite(index, deb));
        Assert.Equal(AddOutcome.Skipped, index.AddDebDirectory(dir.Combine("debs"), "bookworm-security", null).Single(r => r.Location == other).Outcome);
        Assert.Equal("bookworm-security", Suite(index, other));
        Assert.Equal("bookworm-security", Suite(index, deb));
        Assert.All(index.PackagesOf(index.Sources().Single(s => s.Location == deb).Id), p => Assert.Equal("bookworm-security", p.Suite));

        Assert.Throws<ArgumentException>(() => index.AddDeb(deb, "bookworm/updates"));
    }

    [Fact]
    public void A_repository_suite_comes_from_dists_then_a_release_file_then_the_suite_given()
    {
        using var dir = new TempDirectory();
        var debs = dir.Combine("pool");
        var debList = new[] { DebBuilder.Build(debs, "vmt-a", "1.0-1", "all") };
        var dists = DebBuilder.Index(dir.Path, dir.Combine("dists/bookworm-security/main/binary-amd64/Packages"), debList);
        var flatStable = DebBuilder.Index(dir.Path, dir.Combine("flat1/Packages"), debList, "Origin: Debian\nSuite: stable\nCodename: bookworm\nDate: x\nSHA256:\n 00 1 main/x\n");
        var flatUpdates = DebBuilder.Index(dir.Path, dir.Combine("flat2/Packages"), debList, "Suite: bookworm-updates\n");
        var flatCodename = DebBuilder.Index(dir.Path, dir.Combine("flat3/Packages"), debList, "Codename: trixie\n");
        var bare = DebBuilder.Index(dir.Path, dir.Combine("flat4/Packages"), debList);
        var given = DebBuilder.Index(dir.Path, dir.Combine("flat5/Packages"), debList);
        using var index = ContentIndex.Open(dir.Combine("data"), 2);

        foreach (var p in new[] { dists, flatStable, flatUpdates, flatCodename, bare })
        {
            Assert.Equal(AddOutcome.Added, index.AddAptRepository(p).Outcome);
        }

        Assert.Equal(AddOutcome.Added, index.AddAptRepository(given, "bookworm-backports").Outcome);
        // The location wins over a suite given.
        Assert.Equal(AddOutcome.Skipped, index.AddAptRepository(dists, "sid").Outcome);

        Assert.Equal("bookworm-security", Suite(index, dists));
        Assert.Equal("bookworm", Suite(index, flatStable));
        Assert.Equal("bookworm-updates", Suite(index, flatUpdates));
        Assert.Equal("trixie", Suite(index, flatCodename));
        Assert.Null(Suite(index, bare));
        Assert.Equal("bookworm-backports", Suite(index, given));

        // A fetched archive is a .deb of its repository's suite.
        var offered = index.PackagesOf(index.Sources().Single(s => s.Location == dists).Id).Single();
        Assert.Equal("bookworm-security", offered.Suite);
        var fetched = index.FetchArchive(offered);
        Assert.Equal(AddOutcome.Added, fetched.Outcome);
        Assert.Equal("bookworm-security", Suite(index, fetched.Location));
    }

    [Theory]
    [InlineData("Suite: stable\nCodename: bookworm\n", "bookworm")]
    [InlineData("Suite: stable-security\nCodename: bookworm-security\n", "bookworm-security")]
    [InlineData("Suite: bookworm-updates\nCodename: bookworm-updates\n", "bookworm-updates")]
    [InlineData("Suite: mysuite\n", "mysuite")]
    [InlineData("Origin: x\nCodename: bookworm\n\nSuite: not-this-paragraph\n", "bookworm")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian\nSuite: stable\nCodename: bookworm\n", "bookworm")]
    [InlineData("Origin: x\nLabel: y\n", null)]
    public void Release_files_name_the_suite(string release, string? suite) => Assert.Equal(suite, AptSuites.FromRelease(release));

    [Theory]
    [InlineData("http://deb.debian.org/debian/dists/bookworm/main/binary-amd64/Packages.xz", "bookworm")]
    [InlineData("/srv/mirror/dists/bookworm-security/main/binary-amd64/Packages.gz", "bookworm-security")]
    [InlineData("/srv/flat/Packages", null)]
    public void Locations_under_dists_name_the_suite(string location, string? suite) => Assert.Equal(suite, AptSuites.FromLocation(location));

    [Fact]
    public void A_version_1_index_is_upgraded_in_place_keeping_every_row()
    {
        using var dir = new TempDirectory();
        var deb = DebBuilder.Build(dir.Combine("pool"), "vmt-a", "1.0-1", "all");
        var dists = DebBuilder.Index(dir.Path, dir.Combine("dists/bookworm/main/binary-all/Packages"), [deb]);
        var data = dir.Combine("data");
        IndexSummary before;
        using (var index = ContentIndex.Open(data, 2))
        {
            index.AddDeb(deb, "bookworm");
            index.AddAptRepository(dists);
            before = index.Summary();
        }

        // Back to version 1's shape: no suite column, no packages(name) index.
        var file = Path.Combine(data, ContentIndex.FileName);
        using (var raw = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            raw.Open();
            using var downgrade = raw.CreateCommand();
            downgrade.CommandText = "DROP INDEX packages_name; ALTER TABLE sources DROP COLUMN suite; UPDATE schema_version SET version = 1;";
            downgrade.ExecuteNonQuery();
            Assert.DoesNotContain("suite", Columns(raw));
        }

        using (var index = ContentIndex.Open(data, 2))
        {
            Assert.Equal(before, index.Summary());
            var sources = index.Sources();
            Assert.Equal("bookworm", sources.Single(s => s.Kind == SourceKind.AptRepository).Suite);
            Assert.Null(sources.Single(s => s.Kind == SourceKind.Deb).Suite); // a .deb's suite was never recorded in version 1
            Assert.Equal(AddOutcome.Skipped, index.AddDeb(deb, "bookworm").Outcome);
            Assert.Equal("bookworm", Suite(index, deb));
        }

        using (var raw = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            raw.Open();
            using var check = raw.CreateCommand();
            check.CommandText = "SELECT (SELECT group_concat(version) FROM schema_version), (SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'packages_name')";
            using var r = check.ExecuteReader();
            r.Read();
            Assert.Equal(("2", 1L), (r.GetString(0), r.GetInt64(1)));
            Assert.Contains("suite", Columns(raw));
        }
    }

    [Fact]
    public void An_index_of_a_later_version_is_refused()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("data");
        ContentIndex.Open(data, 2).Dispose();
        using (var raw = new SqliteConnection($"Data Source={Path.Combine(data, ContentIndex.FileName)};Pooling=False"))
        {
            raw.Open();
            using var bump = raw.CreateCommand();
            bump.CommandText = "UPDATE schema_version SET version = 3";
            bump.ExecuteNonQuery();
        }

        var e = Assert.Throws<NotSupportedException>(() => ContentIndex.Open(data, 2));
        Assert.Contains("schema version 3", e.Message, StringComparison.Ordinal);
    }

    private static string? Suite(ContentIndex index, string location) =>
        index.Sources().Single(s => s.Location == Path.GetFullPath(location)).Suite;

    private static List<string> Columns(SqliteConnection raw)
    {
        using var cmd = raw.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info('sources')";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }
}
