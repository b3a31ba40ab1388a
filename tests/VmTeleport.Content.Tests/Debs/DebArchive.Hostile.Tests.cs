using System.Text;
using VmTeleport.Content.Debs;
using VmTeleport.Content.Tests.Support;

namespace VmTeleport.Content.Tests.Debs;

/// <summary>Hand-crafted broken packages: each is refused with an InvalidDataException that says what
/// is wrong and where, or NotSupportedException for a real but unsupported format; none hangs.</summary>
public sealed class DebArchiveHostileTests
{
    private static readonly byte[] GoodData = ArBuilder.Tar(("./", ""), ("./usr/", ""), ("./usr/hello", "hello\n"));

    [Fact]
    public void A_minimal_hand_built_package_reads()
    {
        var entries = ReadAll(ArBuilder.Deb(ArBuilder.Gzip(GoodData), "data.tar.gz"));
        Assert.Equal(["/", "/usr", "/usr/hello"], entries);
    }

    [Fact]
    public void Gnu_and_bsd_member_names_are_both_understood()
    {
        // GNU ar ends names with '/'; BSD ar writes "#1/LEN" and puts the name before the data.
        var bsdName = "control.tar"u8.ToArray();
        var ms = new MemoryStream();
        ms.Write("!<arch>\n"u8);
        ms.Write(ArBuilder.Header("debian-binary/", "4"));
        ms.Write(ArBuilder.DebianBinary);
        var control = ArBuilder.Control;
        ms.Write(ArBuilder.Header("#1/11", (bsdName.Length + control.Length).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        ms.Write(bsdName);
        ms.Write(control);
        if ((bsdName.Length + control.Length) % 2 == 1)
        {
            ms.WriteByte((byte)'\n');
        }

        ms.Write(ArBuilder.Header("data.tar/", GoodData.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        ms.Write(GoodData);
        using var deb = DebArchive.Open(new MemoryStream(ms.ToArray()), "names.deb");
        Assert.Equal("control.tar", deb.ControlMember);
        Assert.Equal("hostile", deb.Control.Package);
        Assert.Equal(3, deb.ReadData().Count());
    }

    [Theory]
    [InlineData("", "ar magic")]
    [InlineData("!<arch>", "ar magic")]
    [InlineData("!<arcH>\n", "ar magic")]
    [InlineData("\x1f\x8b\x08\x00\x00\x00\x00\x00", "ar magic")]
    public void Bad_magic_is_refused(string bytes, string expected)
    {
        AssertInvalid(Encoding.Latin1.GetBytes(bytes), expected);
    }

    [Fact]
    public void A_header_without_its_terminator_is_refused_with_its_offset()
    {
        var deb = ArBuilder.Deb(GoodData);
        deb[8 + 58] = (byte)'x';
        AssertInvalid(deb, "header at offset 8");
    }

    [Theory]
    [InlineData("-1", "invalid size field \"-1\"")]
    [InlineData("1e5", "invalid size field")]
    [InlineData("", "invalid size field")]
    [InlineData("9999999999", "declares 9999999999 bytes but the input ends after")]
    public void Bad_or_oversized_member_sizes_are_refused(string size, string expected)
    {
        var good = ArBuilder.Deb(GoodData);
        var deb = (byte[])good.Clone();
        ArBuilder.Header("debian-binary", size).CopyTo(deb, 8);
        AssertInvalid(deb, expected);
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var deb = ArBuilder.Deb(ArBuilder.Gzip(GoodData), "data.tar.gz");
        for (int length = 0; length < deb.Length - 1; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => ReadAll(deb.AsSpan(0, length).ToArray()));
            Assert.Contains("cut.deb", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("./usr/../../etc/passwd")]
    [InlineData("./usr/share/..")]
    public void Paths_with_dot_dot_are_refused(string name)
    {
        var data = ArBuilder.Tar(("./", ""), (name, "root::0:0::/root:/bin/sh\n"));
        AssertInvalid(ArBuilder.Deb(data), $"entry \"{name}\" has a \"..\" component");
    }

    [Fact]
    public void Absolute_and_dotted_paths_are_normalized()
    {
        var data = ArBuilder.Tar(("/etc/", ""), ("/etc/hostname", "a\n"), ("usr//./bin/x", "b\n"), ("./", ""));
        Assert.Equal(["/etc", "/etc/hostname", "/usr/bin/x", "/"], ReadAll(ArBuilder.Deb(data)));
    }

    [Fact]
    public void Wrong_members_and_versions_are_refused()
    {
        var control = ArBuilder.Control;
        AssertInvalid(ArBuilder.Ar(("control.tar", control)), "first member is \"control.tar\", expected \"debian-binary\"");
        AssertInvalid(ArBuilder.Ar(("debian-binary", "3.0\n"u8.ToArray()), ("control.tar", control)), "debian-binary says \"3.0\"");
        AssertInvalid(ArBuilder.Ar(("debian-binary", ArBuilder.DebianBinary), ("data.tar", GoodData)), "found member \"data.tar\" where control.tar* was expected");
        AssertInvalid(ArBuilder.Ar(("debian-binary", ArBuilder.DebianBinary), ("control.tar", control)), "ends before its data.tar member");
        AssertInvalid(ArBuilder.Ar(("debian-binary", ArBuilder.DebianBinary), ("control.tar", ArBuilder.Tar(("./md5sums", "")))), "has no control file");
    }

    [Fact]
    public void Unknown_compressions_are_refused_and_lzma_is_unsupported()
    {
        AssertInvalid(ArBuilder.Deb(GoodData, "data.tar.lz4"), "member \"data.tar.lz4\" is not a tar with a known compression");
        Assert.Throws<NotSupportedException>(() => ReadAll(ArBuilder.Deb(GoodData, "data.tar.lzma")));
    }

    [Fact]
    public void Corrupt_compressed_data_names_the_member()
    {
        var gz = ArBuilder.Gzip(GoodData);
        for (int i = 10; i < gz.Length - 8; i++)
        {
            gz[i] ^= 0x55;
        }

        AssertInvalid(ArBuilder.Deb(gz, "data.tar.gz"), "data.tar.gz");
    }

    [Fact]
    public void Garbage_as_a_tar_is_refused()
    {
        var garbage = new byte[2048];
        new Random(3).NextBytes(garbage);
        AssertInvalid(ArBuilder.Deb(garbage), "data.tar");
    }

    private static void AssertInvalid(byte[] deb, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => ReadAll(deb));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("cut.deb: ", e.Message, StringComparison.Ordinal);
    }

    private static List<string> ReadAll(byte[] deb)
    {
        using var archive = DebArchive.Open(new MemoryStream(deb), "cut.deb");
        var paths = new List<string>();
        foreach (var e in archive.ReadData())
        {
            e.Content?.CopyTo(Stream.Null);
            paths.Add(e.Path);
        }

        return paths;
    }
}
