using VmTeleport.Guests.Classes;

namespace VmTeleport.Guests.Tests.Classes;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("/tmp/[", "/tmp/[", true)] // a "[" that ends the pattern is a literal (found by AFL: it threw)
    [InlineData("/tmp/a[", "/tmp/a[", true)]
    [InlineData("/tmp/[]", "/tmp/[]", true)]
    [InlineData("/tmp/**", "/tmp/a", true)]
    [InlineData("/tmp/**", "/tmp/a/b/c", true)]
    [InlineData("/tmp/**", "/tmp", false)]
    [InlineData("/tmp/**", "/tmpx/a", false)]
    [InlineData("/var/cache/apt/*.bin", "/var/cache/apt/pkgcache.bin", true)]
    [InlineData("/var/cache/apt/*.bin", "/var/cache/apt/x/pkgcache.bin", false)]
    [InlineData("/home/?ob/*", "/home/bob/notes", true)]
    [InlineData("/srv/[ab]*", "/srv/alpha", true)]
    [InlineData("/srv/[!ab]*", "/srv/alpha", false)]
    [InlineData("/a.b", "/aXb", false)]
    [InlineData("/srv/[a-c]x", "/srv/bx", true)]
    [InlineData("/srv/[a-c]x", "/srv/dx", false)]
    [InlineData("/srv/?", "/srv//", false)]
    [InlineData("/**/cache/*", "/var/cache/x", true)]
    [InlineData("/**/cache/*", "/var/cache/x/y", false)]
    [InlineData("/a/*b*c", "/a/xbyc", true)]
    public void Matches_as_documented(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new PathGlob(pattern).IsMatch(path));

    [Theory]
    [InlineData("tmp/**")]
    [InlineData("/srv/[z-a]")]
    [InlineData("/srv/[\u0000-\uffff]")]
    public void Bad_patterns_are_refused(string pattern) =>
        Assert.Throws<FormatException>(() => new PathGlob(pattern));

    [Fact]
    public void A_hostile_path_costs_time_proportional_to_its_length()
    {
        // A backtracking matcher takes exponential time on this; the dynamic programme does not.
        var glob = new PathGlob("/**a**a**a**a**a**a**a**b");
        Assert.False(glob.IsMatch("/" + new string('a', 4000)));
    }
}
