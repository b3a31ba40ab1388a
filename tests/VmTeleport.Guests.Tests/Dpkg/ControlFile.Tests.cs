using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Guests.Tests.Dpkg;

public sealed class ControlFileTests
{
    [Fact]
    public void Reads_paragraphs_fields_and_continuation_lines()
    {
        var problems = new List<string>();
        var ps = ControlFile.Parse(
            "Package: adduser\nStatus: install ok installed\nConffiles:\n /etc/adduser.conf cc34\n /etc/deluser.conf 11a0\n\n\nPackage: apt\nversion: 2.6.2\n",
            "status",
            problems);
        Assert.Empty(problems);
        Assert.Equal(2, ps.Count);
        Assert.Equal("adduser", ps[0]["Package"]);
        Assert.Equal("\n/etc/adduser.conf cc34\n/etc/deluser.conf 11a0", ps[0]["Conffiles"]);
        Assert.Equal("2.6.2", ps[1]["Version"]); // field names are case-insensitive
        Assert.Equal(1, ps[0].Line);
        Assert.Equal(8, ps[1].Line);
        Assert.Null(ps[1]["Status"]);
    }

    [Fact]
    public void Damaged_lines_are_reported_with_their_number_and_the_rest_is_read()
    {
        var problems = new List<string>();
        var ps = ControlFile.Parse(
            " orphan continuation\nPackage: a\nthis is garbage\nVersion: 1\nVersion: 2\n\nPackage: b\nStatus: install ok inst",
            "status",
            problems);
        Assert.Equal(["a", "b"], ps.Select(p => p["Package"]));
        Assert.Equal("1", ps[0]["Version"]);
        Assert.Contains(problems, p => p.StartsWith("status:1: continuation line outside a field", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("status:3: not a \"Field: value\" line", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("field Version appears twice", StringComparison.Ordinal));
        Assert.Equal("install ok inst", ps[1]["Status"]); // a truncated last paragraph is still returned
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_naming_the_file_and_line()
    {
        var text = "Package: a\nDescription: " + new string('x', ControlFile.MaxLineLength + 1) + "\n";
        var e = Assert.Throws<InvalidDataException>(() => ControlFile.Parse(text, "status", new List<string>()));
        Assert.Contains("status:2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_and_blank_lines_with_spaces_separate_nothing_but_paragraphs()
    {
        var problems = new List<string>();
        var ps = ControlFile.Parse("# a comment\nTypes: deb\n   \nTypes: deb-src\n", "x.sources", problems);
        Assert.Empty(problems);
        Assert.Equal(2, ps.Count);
    }
}
