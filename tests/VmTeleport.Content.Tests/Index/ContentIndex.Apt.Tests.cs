using System.Diagnostics;
using System.Security.Cryptography;
using VmTeleport.Content.Index;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Index;

/// <summary>APT repositories as sources: a dpkg-scanpackages index of real packages, local and over HTTP.</summary>
public sealed class ContentIndexAptTests
{
    private static readonly string[] Names = ["gzip_", "dash_", "libkeyutils1_"];

    private static string Repository(TempDirectory dir)
    {
        var repo = Directory.CreateDirectory(dir.Combine("repo")).FullName;
        foreach (var n in Names)
        {
            var deb = Assert.Single(Directory.GetFiles(Fixtures.Path("debian", "debs"), n + "*.deb"));
            File.Copy(deb, Path.Combine(repo, Path.GetFileName(deb)));
        }

        Tool.Run("bash", "-o", "pipefail", "-c", $"cd '{repo}' && dpkg-scanpackages --multiversion . 2>/dev/null | gzip -9n > Packages.gz");
        return repo;
    }

    [Fact]
    public void A_local_packages_index_lists_every_package_with_its_archive()
    {
        using var dir = new TempDirectory();
        var repo = Repository(dir);
        using var index = ContentIndex.Open(dir.Combine("data"), 2);

        var r = index.AddAptRepository(Path.Combine(repo, "Packages.gz"));
        Assert.Equal(AddOutcome.Added, r.Outcome);
        var source = Assert.Single(index.Sources());
        Assert.Equal(SourceKind.AptRepository, source.Kind);
        var packages = index.PackagesOf(source.Id);
        Assert.Equal(Names.Length, packages.Count);
        foreach (var p in packages)
        {
            var deb = p.ArchiveLocation!;
            Assert.True(File.Exists(deb), deb);
            Assert.Equal(Tool.Run("dpkg-deb", "-f", deb, "Package", "Version", "Architecture"),
                $"Package: {p.Name}\nVersion: {p.Version}\nArchitecture: {p.Architecture}\n");
            Assert.Equal(new FileInfo(deb).Length, p.ArchiveSize);
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(deb)), p.ArchiveSha256);
        }

        Assert.Equal(AddOutcome.Skipped, index.AddAptRepository(Path.Combine(repo, "Packages.gz")).Outcome);
    }

    [Fact]
    public void An_index_served_over_http_resolves_archives_to_urls_and_a_broken_one_writes_nothing()
    {
        using var dir = new TempDirectory();
        var repo = Repository(dir);
        File.WriteAllText(Path.Combine(repo, "Broken"), "Package: x\nVersion 1\n");
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repo };
        foreach (var a in new[] { "-u", "-m", "http.server", "0", "--bind", "127.0.0.1" })
        {
            info.ArgumentList.Add(a);
        }

        using var server = Process.Start(info)!;
        try
        {
            // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
            var line = server.StandardOutput.ReadLine() ?? throw new InvalidOperationException(server.StandardError.ReadToEnd());
            var port = line.Split(' ')[5];
            var url = $"http://127.0.0.1:{port}/Packages.gz";
            using var index = ContentIndex.Open(dir.Combine("data"), 2);

            Assert.Equal(AddOutcome.Added, index.AddAptRepository(url).Outcome);
            var source = Assert.Single(index.Sources());
            Assert.Equal(url, source.Location);
            Assert.All(index.PackagesOf(source.Id), p => Assert.StartsWith($"http://127.0.0.1:{port}/{p.Name}_", p.ArchiveLocation, StringComparison.Ordinal));

            // On demand: one archive fetched over HTTP, checked, kept and indexed as a deb source.
            var gzip = index.PackagesOf(source.Id).Single(p => p.Name == "gzip");
            var fetched = index.FetchArchive(gzip);
            Assert.Equal(AddOutcome.Added, fetched.Outcome);
            Assert.Equal(SourceKind.Deb, fetched.Kind);
            Assert.StartsWith(index.ArchiveDirectory, fetched.Location, StringComparison.Ordinal);
            var deb = index.Sources().Single(s => s.Kind == SourceKind.Deb);
            Assert.NotEmpty(index.FilesOf(deb.Id));
            Assert.Equal(AddOutcome.Skipped, index.FetchArchive(gzip).Outcome);

            // An archive that does not hash as the index says is refused and not kept.
            var liar = index.PackagesOf(source.Id).Single(p => p.Name == "dash") with { ArchiveSha256 = new byte[32] };
            var refused = index.FetchArchive(liar);
            Assert.Equal(AddOutcome.Failed, refused.Outcome);
            Assert.IsType<InvalidDataException>(refused.Exception);
            Assert.Contains("does not match the Packages index", refused.Error, StringComparison.Ordinal);
            Assert.Equal([Path.GetFileName(fetched.Location)], Directory.GetFiles(index.ArchiveDirectory).Select(Path.GetFileName));
            Assert.Equal(2, index.Sources().Count);

            var broken = index.AddAptRepository($"http://127.0.0.1:{port}/Broken");
            Assert.Equal(AddOutcome.Failed, broken.Outcome);
            Assert.IsType<InvalidDataException>(broken.Exception);
            Assert.Contains("line 2", broken.Error, StringComparison.Ordinal);
            var missing = index.AddAptRepository($"http://127.0.0.1:{port}/absent/Packages.xz");
            Assert.IsType<IOException>(missing.Exception);
            Assert.Equal(2, index.Sources().Count);
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
        }
    }

    [Fact]
    public void Archive_locations_follow_the_repository_layout()
    {
        Assert.Equal("http://deb.debian.org/debian/pool/main/g/gzip/gzip_1.12-1_amd64.deb",
            AptPackagesIndex.ArchiveLocation("http://deb.debian.org/debian/dists/bookworm/main/binary-amd64/Packages.xz", "pool/main/g/gzip/gzip_1.12-1_amd64.deb"));
        Assert.Equal("/srv/repo/gzip_1.12-1_amd64.deb", AptPackagesIndex.ArchiveLocation("/srv/repo/Packages", "./gzip_1.12-1_amd64.deb"));
    }
}
