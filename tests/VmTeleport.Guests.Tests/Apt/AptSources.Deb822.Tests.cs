using VmTeleport.Guests.Apt;

namespace VmTeleport.Guests.Tests.Apt;

public sealed class AptSourcesDeb822Tests
{
    [Fact]
    public void Reads_stanzas_with_multiple_values_options_and_disabled_ones()
    {
        using var guest = new GuestTree()
            .File("/etc/apt/keyrings/docker.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF\n-----END PGP PUBLIC KEY BLOCK-----\n")
            .File("/etc/apt/sources.list.d/debian.sources", """
                # The main archive
                Types: deb deb-src
                URIs: http://deb.debian.org/debian
                Suites: bookworm bookworm-updates
                Components: main
                 contrib non-free-firmware
                architectures: amd64,i386
                Architectures-Add: arm64
                Signed-By: /etc/apt/keyrings/docker.asc
                X-Repolib-Name: ignored by apt

                Enabled: no
                Types: deb
                URIs: http://old.example/
                Suites: buster
                Signed-By: /usr/share/keyrings/gone.gpg

                Types: deb
                URIs: https://download.example.com/linux/debian
                Suites: ./
                Trusted: yes
                Check-Valid-Until: no
                """);
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Empty(problems);
        Assert.Collection(
            config.Sources,
            s =>
            {
                Assert.Equal(("/etc/apt/sources.list.d/debian.sources", 2, "deb822", true), (s.File, s.Line, s.Format, s.Enabled));
                Assert.Equal(["deb", "deb-src"], s.Types);
                Assert.Equal(["http://deb.debian.org/debian"], s.Uris);
                Assert.Equal(["bookworm", "bookworm-updates"], s.Suites);
                Assert.Equal(["main", "contrib", "non-free-firmware"], s.Components);
                Assert.Equal(["arch", "arch+"], s.Options.Select(o => o.Name));
                Assert.Equal(["amd64", "i386"], s.Options[0].Values);
                Assert.Equal(["arm64"], s.Options[1].Values);
                Assert.Equal(["/etc/apt/keyrings/docker.asc"], s.SignedBy);
            },
            s =>
            {
                // Disabled stanzas are kept but not checked (this one has no Components).
                Assert.Equal((12, false), (s.Line, s.Enabled));
                Assert.Equal(["buster"], s.Suites);
                Assert.Empty(s.Components);
            },
            s =>
            {
                Assert.Equal(18, s.Line);
                Assert.Equal(["./"], s.Suites);
                Assert.Empty(s.Components);
                Assert.Equal(["trusted", "check-valid-until"], s.Options.Select(o => o.Name));
                Assert.Equal(["yes"], s.Options[0].Values);
                Assert.Equal(["no"], s.Options[1].Values);
            });
        var keyring = Assert.Single(config.Keyrings);
        Assert.Equal(("/etc/apt/keyrings/docker.asc", "openpgp-armored"), (keyring.Path, keyring.Format));
        Assert.Equal(["/etc/apt/sources.list.d/debian.sources"], keyring.ReferencedBy);
    }

    [Fact]
    public void An_embedded_key_is_signed_by_inline()
    {
        using var guest = new GuestTree().File("/etc/apt/sources.list.d/vendor.sources", """
            Types: deb
            URIs: https://vendor.example/apt
            Suites: stable
            Components: main
            Signed-By:
             -----BEGIN PGP PUBLIC KEY BLOCK-----
             .
             mQINBGNvZXJ0AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
             =abcd
             -----END PGP PUBLIC KEY BLOCK-----
            Architectures: amd64
            """);
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Empty(problems);
        var s = Assert.Single(config.Sources);
        Assert.Equal(["inline"], s.SignedBy);
        Assert.Equal("arch", Assert.Single(s.Options).Name);
        Assert.Empty(config.Keyrings);
    }

    [Fact]
    public void Malformed_stanzas_are_reported_and_the_next_stanza_is_read()
    {
        using var guest = new GuestTree().File("/etc/apt/sources.list.d/broken.sources", """
            Types: deb
            Suites: bookworm
            Components: main

            Types: deb
            URIs: http://a.example/
            this line has no colon
            Suites: bookworm
            Components: main

            Types: rpm
            URIs: http://b.example/
            Suites: bookworm
            Components: main

            Types: deb
            URIs: http://c.example/
            Suites: bookworm
            Components: main
            Enabled: perhaps

            Types: deb
            Types: deb-src
            URIs: http://d.example/
            Suites: ./
            Components: main

            Types: deb
            URIs: http://ok.example/
            Suites: sid
            Components: main
            Signed-By: 0123456789ABCDEF0123456789ABCDEF01234567 relative.gpg
            """);
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Equal(["http://c.example/", "http://ok.example/"], config.Sources.Select(s => s.Uris[0]));
        Assert.Equal(
            [
                "/etc/apt/sources.list.d/broken.sources:1: malformed stanza (no URIs); stanza skipped",
                "/etc/apt/sources.list.d/broken.sources:7: malformed stanza (not a 'Field: value' line); stanza skipped",
                "/etc/apt/sources.list.d/broken.sources:11: malformed stanza (type 'rpm' is not known); stanza skipped",
                "/etc/apt/sources.list.d/broken.sources:16: Enabled: 'perhaps' is not a boolean; taken as yes",
                "/etc/apt/sources.list.d/broken.sources:23: malformed stanza (field Types appears twice); stanza skipped",
                "/etc/apt/sources.list.d/broken.sources:28: signed-by 'relative.gpg' is neither an absolute path nor a key fingerprint",
            ],
            problems);
        Assert.Equal(["0123456789ABCDEF0123456789ABCDEF01234567", "relative.gpg"], config.Sources[1].SignedBy);
    }
}
