using System.Globalization;
using System.Security.Cryptography;
using VmTeleport.Content.Index;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Index;

/// <summary>.debs in the index against dpkg-deb's own extraction; broken packages leave no rows and stop nothing else.</summary>
public sealed class ContentIndexDebsTests
{
    // Small real packages of the Debian fixture; gzip has a hard link (gunzip/uncompress).
    private static readonly string[] Names = ["gzip_", "base-files_", "dash_", "libkeyutils1_"];

    private static List<string> SomeDebs()
    {
        var dir = Fixtures.Path("debian", "debs");
        return [.. Names.Select(n => Assert.Single(Directory.GetFiles(dir, n + "*.deb")))];
    }

    [Fact]
    public void Package_files_equal_what_dpkg_deb_extracts_with_their_md5sums()
    {
        using var dir = new TempDirectory();
        using var index = ContentIndex.Open(dir.Combine("data"), 2);
        foreach (var deb in SomeDebs())
        {
            var result = index.AddDeb(deb);
            Assert.Equal(AddOutcome.Added, result.Outcome);
            var source = index.Sources().Single(s => s.Location == deb);
            Assert.Equal(SourceKind.Deb, source.Kind);

            var extracted = dir.Combine(Path.GetFileNameWithoutExtension(deb));
            Tool.Run("dpkg-deb", "-x", deb, extracted);
            var expected = Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories)
                .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint))
                .Select(f => ("/" + Path.GetRelativePath(extracted, f), new FileInfo(f).Length, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))))
                .Order().ToList();
            var files = index.FilesOf(source.Id);
            Assert.Equal(expected, files.Select(f => (f.Path, f.Size, Convert.ToHexStringLower(f.Sha256))).Order().ToList());

            // Sizes of the regular entries as tar lists them (hard links list as size 0 and point at their target).
            var listing = Tool.Run("bash", "-o", "pipefail", "-c", $"dpkg-deb --fsys-tarfile '{deb}' | tar -tv --numeric-owner");
            foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l[0] == '-'))
            {
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                var path = parts[5].TrimStart('.');
                Assert.Equal(long.Parse(parts[2], CultureInfo.InvariantCulture), files.Single(f => f.Path == path).Size);
            }

            // dpkg's md5sums of the package, as dpkg-deb prints them, match the md5 column.
            var sums = Tool.Run("bash", "-c", $"dpkg-deb --ctrl-tarfile '{deb}' | tar -xO ./md5sums");
            foreach (var line in sums.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var md5 = line[..32];
                var path = "/" + line[34..];
                Assert.Equal(md5, Convert.ToHexStringLower(files.Single(f => f.Path == path).Md5!));
            }

            var fields = Tool.Run("dpkg-deb", "-f", deb, "Package", "Version", "Architecture");
            var package = Assert.Single(index.PackagesOf(source.Id));
            Assert.Equal(fields, $"Package: {package.Name}\nVersion: {package.Version}\nArchitecture: {package.Architecture}\n");
        }

        Assert.Equal(AddOutcome.Skipped, index.AddDeb(SomeDebs()[0]).Outcome);
    }

    [Fact]
    public void Broken_packages_are_refused_by_name_with_no_rows_and_the_others_are_indexed()
    {
        using var dir = new TempDirectory();
        var debs = Directory.CreateDirectory(dir.Combine("debs")).FullName;
        var good = SomeDebs()[0];
        File.Copy(good, Path.Combine(debs, "a-good.deb"));
        var bytes = File.ReadAllBytes(SomeDebs()[1]);
        File.WriteAllBytes(Path.Combine(debs, "b-truncated.deb"), bytes[..(bytes.Length / 2)]);
        var magic = (byte[])bytes.Clone();
        magic[1] = (byte)'?';
        File.WriteAllBytes(Path.Combine(debs, "c-bad-magic.deb"), magic);
        File.WriteAllBytes(Path.Combine(debs, "d-dotdot.deb"),
            ArBuilder.Deb(ArBuilder.Tar(("./", ""), ("./usr/", ""), ("./usr/ok", "fine\n"), ("./../etc/evil", "x\n"))));
        using var index = ContentIndex.Open(dir.Combine("data"), 2);

        var results = index.AddDebDirectory(debs);

        Assert.Equal([AddOutcome.Added, AddOutcome.Failed, AddOutcome.Failed, AddOutcome.Failed], results.Select(r => r.Outcome).ToList());
        foreach (var failed in results.Skip(1))
        {
            Assert.Contains(Path.GetFileName(failed.Location), failed.Error, StringComparison.Ordinal);
            Assert.IsType<InvalidDataException>(failed.Exception);
        }

        var source = Assert.Single(index.Sources());
        Assert.EndsWith("a-good.deb", source.Location, StringComparison.Ordinal);
        var summary = index.Summary();
        Assert.Equal(source.Files, summary.Files);
        Assert.Equal(source.Chunks, summary.Chunks);
        Assert.Equal(1, summary.Packages);
    }
}
