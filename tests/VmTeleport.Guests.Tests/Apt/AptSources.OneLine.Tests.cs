using VmTeleport.Guests.Apt;

namespace VmTeleport.Guests.Tests.Apt;

public sealed class AptSourcesOneLineTests
{
    [Fact]
    public void Reads_entries_options_comments_and_flat_repositories()
    {
        using var guest = new GuestTree().File("/etc/apt/sources.list", """
            # Debian
            deb http://deb.debian.org/debian bookworm main contrib non-free-firmware
            deb-src http://deb.debian.org/debian bookworm main # trailing comment
            	deb  [ arch=amd64,i386 signed-by=/usr/share/keyrings/x.gpg trusted=yes ]  https://example.org/apt  stable  main
            deb [arch+=arm64 lang=de#x] "file:/srv/my repo" ./
            #deb http://commented.example/debian bookworm main

            """);
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Collection(
            config.Sources,
            s =>
            {
                Assert.Equal(("/etc/apt/sources.list", 2, "one-line", true), (s.File, s.Line, s.Format, s.Enabled));
                Assert.Equal(["deb"], s.Types);
                Assert.Equal(["http://deb.debian.org/debian"], s.Uris);
                Assert.Equal(["bookworm"], s.Suites);
                Assert.Equal(["main", "contrib", "non-free-firmware"], s.Components);
                Assert.Empty(s.Options);
                Assert.Empty(s.SignedBy);
            },
            s =>
            {
                Assert.Equal(3, s.Line);
                Assert.Equal(["deb-src"], s.Types);
                Assert.Equal(["main"], s.Components);
            },
            s =>
            {
                Assert.Equal(4, s.Line);
                Assert.Equal(["https://example.org/apt"], s.Uris);
                Assert.Equal(["stable"], s.Suites);
                Assert.Equal(["/usr/share/keyrings/x.gpg"], s.SignedBy);
                Assert.Equal(2, s.Options.Count);
                Assert.Equal("arch", s.Options[0].Name);
                Assert.Equal(["amd64", "i386"], s.Options[0].Values);
                Assert.Equal("trusted", s.Options[1].Name);
                Assert.Equal(["yes"], s.Options[1].Values);
            },
            s =>
            {
                // A '#' inside the brackets is not a comment; quotes hold the space of the URI.
                Assert.Equal(5, s.Line);
                Assert.Equal(["file:/srv/my repo"], s.Uris);
                Assert.Equal(["./"], s.Suites);
                Assert.Empty(s.Components);
                Assert.Equal(["arch+", "lang"], s.Options.Select(o => o.Name));
                Assert.Equal(["de#x"], s.Options[1].Values);
            });
        Assert.Contains(problems, p => p == "/etc/apt/sources.list:4: signed-by /usr/share/keyrings/x.gpg does not exist in the guest");
        Assert.Single(problems);
    }

    [Fact]
    public void Malformed_lines_are_reported_with_file_and_line_and_reading_goes_on()
    {
        using var guest = new GuestTree()
            .File("/etc/apt/sources.list", """
                deb http://a.example/debian bookworm
                rpm http://b.example/ centos main
                deb [arch=amd64 http://c.example/ bookworm main
                deb [arch] http://d.example/ bookworm main
                deb http://e.example/ ./ main
                deb "http://f.example/ bookworm main
                deb
                deb http://ok.example/debian bookworm main
                """)
            .File("/etc/apt/sources.list.d/extra.list", "deb-src [=x] http://g.example/ sid main\ndeb http://ok2.example/ sid main\n");
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Equal(["http://ok.example/debian", "http://ok2.example/"], config.Sources.Select(s => s.Uris[0]));
        Assert.Equal([8, 2], config.Sources.Select(s => s.Line));
        Assert.Equal(
            [
                "/etc/apt/sources.list:1: malformed line (suite 'bookworm' has no component); skipped",
                "/etc/apt/sources.list:2: malformed line (type 'rpm' is not known); skipped",
                "/etc/apt/sources.list:3: malformed line (options not closed by ']'); skipped",
                "/etc/apt/sources.list:4: malformed line (option 'arch' is not key=value); skipped",
                "/etc/apt/sources.list:5: malformed line (suite './' is an exact path, so it takes no components); skipped",
                "/etc/apt/sources.list:6: malformed line (unterminated quote); skipped",
                "/etc/apt/sources.list:7: malformed line (no URI); skipped",
                "/etc/apt/sources.list.d/extra.list:1: malformed line (option '=x' has no key); skipped",
            ],
            problems);
    }

    [Fact]
    public void Parts_are_read_in_name_order_after_the_main_list_and_ignored_names_follow_apts_rules()
    {
        using var guest = new GuestTree()
            .File("/etc/apt/sources.list", "deb http://main.example/ bookworm main\n")
            .File("/etc/apt/sources.list.d/b.list", "deb http://b.example/ bookworm main\n")
            .File("/etc/apt/sources.list.d/a.sources", "Types: deb\nURIs: http://a.example/\nSuites: bookworm\nComponents: main\n")
            .File("/etc/apt/sources.list.d/c.list.save", "deb http://saved.example/ bookworm main\n")
            .File("/etc/apt/sources.list.d/d.list.dpkg-old", "deb http://old.example/ bookworm main\n")
            .File("/etc/apt/sources.list.d/notes.txt", "deb http://txt.example/ bookworm main\n")
            .File("/etc/apt/sources.list.d/bad name.list", "deb http://space.example/ bookworm main\n");
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Equal(["http://main.example/", "http://a.example/", "http://b.example/"], config.Sources.Select(s => s.Uris[0]));
        Assert.Equal(["one-line", "deb822", "one-line"], config.Sources.Select(s => s.Format));
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("/etc/apt/sources.list.d/bad name.list: ignored by apt", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("/etc/apt/sources.list.d/notes.txt: ignored by apt", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Symlinks_are_followed_inside_the_guest_only()
    {
        using var guest = new GuestTree()
            .File("/opt/vendor/vendor.list", "deb http://vendor.example/ stable main\n")
            .Symlink("/etc/apt/sources.list.d/vendor.list", "../../../opt/vendor/vendor.list")
            // Climbing above the root stays at the guest's root: this names /etc/hostname-host, absent.
            .Symlink("/etc/apt/sources.list.d/escape.list", "../../../../../../../../etc/hostname-host")
            .Symlink("/etc/apt/sources.list.d/loop.list", "loop.list");
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        var source = Assert.Single(config.Sources);
        Assert.Equal("/etc/apt/sources.list.d/vendor.list", source.File);
        Assert.Equal(["http://vendor.example/"], source.Uris);
        Assert.Equal(2, problems.Count);
        Assert.Equal("/etc/apt/sources.list.d/escape.list: symlink whose target does not exist in the guest; skipped", problems[0]);
        Assert.Equal(
            "/etc/apt/sources.list.d/loop.list: too many levels of symbolic links (more than 40)", problems[1]);
    }

    [Fact]
    public void A_source_file_larger_than_the_cap_is_skipped_with_a_problem()
    {
        var big = new System.Text.StringBuilder();
        while (big.Length <= (1 << 20))
        {
            big.Append("deb http://big.example/debian bookworm main\n");
        }

        using var guest = new GuestTree()
            .File("/etc/apt/sources.list", big.ToString())
            .File("/etc/apt/sources.list.d/small.list", "deb http://small.example/ bookworm main\n");
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Equal("http://small.example/", Assert.Single(config.Sources).Uris[0]);
        Assert.Equal($"/etc/apt/sources.list: {big.Length} bytes, more than the 1048576 bytes read; skipped", Assert.Single(problems));
    }

    [Fact]
    public void A_guest_without_apt_has_no_sources_and_no_problems()
    {
        using var guest = new GuestTree().File("/etc/hostname", "x\n");
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Empty(config.Sources);
        Assert.Empty(config.Keyrings);
        Assert.Empty(problems);
    }
}
