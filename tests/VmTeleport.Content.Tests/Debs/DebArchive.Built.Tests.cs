using System.Security.Cryptography;
using System.Text;
using VmTeleport.Content.Debs;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Debs;

/// <summary>
/// Packages built here with dpkg-deb in every compression it writes, read back and compared with
/// dpkg-deb's own view (-x, --fsys-tarfile | tar -t, -f) and with Python's tarfile.
/// </summary>
public sealed class DebArchiveBuiltTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmteleport-deb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("xz", "data.tar.xz")]
    [InlineData("gzip", "data.tar.gz")]
    [InlineData("zstd", "data.tar.zst")]
    [InlineData("none", "data.tar")]
    public void Entries_content_and_control_equal_what_dpkg_deb_reports(string compression, string dataMember)
    {
        var deb = Build(compression);

        using var archive = DebArchive.Open(deb);
        Assert.Equal("2.0", archive.FormatVersion);
        Assert.StartsWith("control.tar", archive.ControlMember, StringComparison.Ordinal);
        Assert.Equal("vmt-probe", archive.Control.Package);
        Assert.Equal(ExternalCommand.Check("dpkg-deb", "-f", deb, "Version").Trim(), archive.Control.Version);
        Assert.Equal("all", archive.Control.Architecture);
        Assert.Equal("probe\ntwo lines", archive.Control.Fields["description"]);
        Assert.Equal(["/etc/vmt/probe.conf"], archive.Control.Conffiles);
        var listing = DebListing.Read(archive);
        Assert.Equal(dataMember, archive.DataMember);

        // Metadata and sha256 of every entry, against dpkg-deb + Python's tarfile.
        Assert.Equal(DebListing.Oracle(deb), listing);

        // Names, against GNU tar.
        var tarNames = ExternalCommand.Check("bash", "-o", "pipefail", "-c", $"dpkg-deb --fsys-tarfile '{deb}' | tar -t")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => "/" + string.Join('/', n.Split('/').Where(p => p is not ("" or "."))));
        Assert.Equal(tarNames, listing.Select(PathOf));

        // Content, against the files dpkg-deb -x writes; and the package's md5sums agree too.
        var extracted = Path.Combine(_dir, "x-" + compression);
        ExternalCommand.Check("dpkg-deb", "-x", deb, extracted);
        using var again = DebArchive.Open(deb);
        int regular = 0, hardLinks = 0;
        foreach (var e in again.ReadData())
        {
            if (e.Type != DebEntryType.RegularFile)
            {
                hardLinks += e.Type == DebEntryType.HardLink ? 1 : 0;
                continue;
            }

            using var buffer = new MemoryStream();
            e.Content!.CopyTo(buffer);
            var bytes = buffer.ToArray();
            Assert.Equal(e.Size, bytes.Length);
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(extracted + e.Path)), SHA256.HashData(bytes));
            Assert.Equal(again.Control.Md5Sums[e.Path], Convert.ToHexStringLower(MD5.HashData(bytes)));
            regular++;
        }

        Assert.Equal(again.Control.Md5Sums.Count, regular + hardLinks);
        Assert.True(regular >= 6);
    }

    [Fact]
    public void A_stream_that_cannot_seek_and_returns_a_few_bytes_per_read_gives_the_same_entries()
    {
        var deb = Build("xz");
        using var seekable = DebArchive.Open(deb);
        var expected = DebListing.Read(seekable);

        using var trickle = DebArchive.Open(new TrickleStream(File.ReadAllBytes(deb)), "trickle.deb");
        Assert.Equal(expected, DebListing.Read(trickle));
        Assert.Throws<InvalidOperationException>(() => trickle.ReadData());
    }

    [Fact]
    public void Special_entries_keep_their_type_mode_and_target()
    {
        using var archive = DebArchive.Open(Build("gzip"));
        var entries = archive.ReadData().ToDictionary(e => e.Path, e => (e.Type, e.Mode, e.LinkTarget, e.Uid));
        Assert.Equal((DebEntryType.Directory, (UnixFileMode)Convert.ToInt32("755", 8), null, 0), entries["/"]);
        Assert.Equal(DebEntryType.SymbolicLink, entries["/usr/bin/alias"].Type);
        Assert.Equal("probe", entries["/usr/bin/alias"].LinkTarget);
        Assert.Equal(DebEntryType.HardLink, entries["/usr/bin/probe-hard"].Type);
        Assert.Equal("/usr/bin/probe", entries["/usr/bin/probe-hard"].LinkTarget);
        Assert.True(entries["/usr/bin/probe"].Mode.HasFlag(UnixFileMode.SetUser));
        Assert.True(entries["/var/tmp/vmt"].Mode.HasFlag(UnixFileMode.StickyBit));
        Assert.Contains(entries.Keys, p => p.Length > 120 && p.StartsWith("/usr/lib/vmt/", StringComparison.Ordinal));
        Assert.Contains("/usr/share/vmt/name with spaces and ü.txt", entries.Keys);
    }

    private string Build(string compression)
    {
        var root = Path.Combine(_dir, "root-" + compression);
        var random = new Random(4);
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }

        var files = new Dictionary<string, byte[]>
        {
            ["etc/vmt/probe.conf"] = Encoding.UTF8.GetBytes("key = value\n"),
            ["usr/bin/probe"] = Bytes(300_000),
            ["usr/share/doc/vmt-probe/big.bin"] = Bytes(3 << 20),
            ["usr/share/doc/vmt-probe/empty"] = [],
            [$"usr/lib/vmt/{new string('d', 120)}/deep.txt"] = Encoding.UTF8.GetBytes("deep\n"),
            ["usr/share/vmt/name with spaces and ü.txt"] = Encoding.UTF8.GetBytes("odd name\n"),
        };
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }

        ExternalCommand.Check("chmod", "4755", Path.Combine(root, "usr/bin/probe"));
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/alias"), "probe");
        ExternalCommand.Check("ln", Path.Combine(root, "usr/bin/probe"), Path.Combine(root, "usr/bin/probe-hard"));
        Directory.CreateDirectory(Path.Combine(root, "var/tmp/vmt"));
        ExternalCommand.Check("chmod", "1777", Path.Combine(root, "var/tmp/vmt"));

        var debian = Path.Combine(root, "DEBIAN");
        Directory.CreateDirectory(debian);
        File.WriteAllText(Path.Combine(debian, "control"),
            "Package: vmt-probe\nVersion: 1:2.3-4\nArchitecture: all\nMaintainer: Probe <probe@example.org>\nDescription: probe\n two lines\n");
        File.WriteAllText(Path.Combine(debian, "conffiles"), "/etc/vmt/probe.conf\n");
        var md5 = new StringBuilder();
        foreach (var (path, bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            md5.Append(Convert.ToHexStringLower(MD5.HashData(bytes))).Append("  ").Append(path).Append('\n');
        }

        md5.Append(Convert.ToHexStringLower(MD5.HashData(files["usr/bin/probe"]))).Append("  usr/bin/probe-hard\n");
        File.WriteAllText(Path.Combine(debian, "md5sums"), md5.ToString());

        var deb = Path.Combine(_dir, $"vmt-probe-{compression}.deb");
        ExternalCommand.Check("dpkg-deb", "--root-owner-group", "-Z" + compression, "--build", root, deb);
        return deb;
    }

    private static string PathOf(string listingLine)
    {
        var path = listingLine.Split(' ', 8)[7];
        var arrow = path.IndexOf(" -> ", StringComparison.Ordinal);
        return arrow < 0 ? path : path[..arrow];
    }
}
