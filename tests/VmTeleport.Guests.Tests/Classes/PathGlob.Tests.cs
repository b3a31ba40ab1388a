using VmTeleport.Guests.Classes;

namespace VmTeleport.Guests.Tests.Classes;

public sealed class PathGlobTests
{
    [Theory]
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
    public void Matches_as_documented(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new PathGlob(pattern).IsMatch(path));

    [Fact]
    public void Relative_patterns_are_refused() =>
        Assert.Throws<FormatException>(() => new PathGlob("tmp/**"));
}
