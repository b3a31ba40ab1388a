using VmTeleport.Guests.Os;

namespace VmTeleport.Guests.Tests.Os;

public sealed class OsReleaseTests
{
    [Fact]
    public void Reads_quoted_and_bare_values()
    {
        var problems = new List<string>();
        var r = OsRelease.Parse(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID='12'\nID=debian\n# comment\n\nNAME=\"a \\\"quoted\\\" name\"\n",
            "/etc/os-release",
            problems);
        Assert.Empty(problems);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", r["PRETTY_NAME"]);
        Assert.Equal("12", r["VERSION_ID"]);
        Assert.Equal("debian", r["ID"]);
        Assert.Equal("a \"quoted\" name", r["NAME"]);
    }

    [Fact]
    public void Garbage_gives_one_problem_with_the_first_line_and_a_count()
    {
        var problems = new List<string>();
        var r = OsRelease.Parse("\u0001\u0002binary\nID=ok\nnot a line\nX=\"unterminated\n", "/etc/os-release", problems);
        Assert.Equal("ok", r["ID"]);
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("/etc/os-release:1: not a KEY=value line: ??binary", problems[0], StringComparison.Ordinal);
        Assert.Equal("/etc/os-release: 3 lines in all are not KEY=value lines", problems[1]);
    }
}
