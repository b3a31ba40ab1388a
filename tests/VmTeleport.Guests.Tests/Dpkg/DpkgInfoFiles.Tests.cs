using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Guests.Tests.Dpkg;

public sealed class DpkgInfoFilesTests
{
    [Theory]
    [InlineData("perl.list", "perl", true)]
    [InlineData("perl.md5sums", "perl", true)]
    [InlineData("perl-base.list", "perl", false)]
    [InlineData("libgtk2.0-0:amd64.list", "libgtk2.0-0:amd64", true)]
    [InlineData("libgtk2.0-0:amd64.list", "libgtk2", false)]
    [InlineData("perl.", "perl", false)]
    [InlineData("perl", "perl", false)]
    [InlineData("perl.a/b", "perl", false)]
    public void An_info_file_belongs_only_to_its_own_package(string file, string infoName, bool belongs) =>
        Assert.Equal(belongs, DpkgInfoFiles.BelongsTo(file, infoName));

    [Fact]
    public void Listed_paths_drop_the_root_trailing_slashes_and_relative_lines() =>
        Assert.Equal(["/usr", "/usr/bin/x", "/"], DpkgInfoFiles.ListedPaths("/.\n/usr/\n/usr/bin/x\nrelative\n\n/\n"));
}
