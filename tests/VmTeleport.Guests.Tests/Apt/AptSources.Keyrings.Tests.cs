using System.Security.Cryptography;
using VmTeleport.Guests.Apt;

namespace VmTeleport.Guests.Tests.Apt;

public sealed class AptSourcesKeyringsTests
{
    // An old-format public-key packet header (tag 6, two-byte length), as gpg --export writes.
    private static readonly byte[] BinaryKey = [0x99, 0x01, 0x0d, 0x04, 0x63, 0x5a, 0x1b, 0x2c, 0x01, 0x08, 0x00, 0xc1];

    // A new-format public-key packet header (0xc6).
    private static readonly byte[] NewFormatKey = [0xc6, 0x33, 0x04, 0x63, 0x5a, 0x1b, 0x2c, 0x16];

    private const string Armored = "\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEY1obLBYJKwYBBAHaRw8BAQdA\n-----END PGP PUBLIC KEY BLOCK-----\n";

    [Fact]
    public void Global_keyrings_keyrings_directory_and_signed_by_paths_are_described()
    {
        using var guest = new GuestTree()
            .File("/etc/apt/trusted.gpg", BinaryKey)
            .File("/etc/apt/trusted.gpg.d/debian.asc", Armored)
            .File("/etc/apt/trusted.gpg.d/new.gpg", NewFormatKey)
            .File("/etc/apt/trusted.gpg.d/readme.txt", "not a keyring")
            .File("/etc/apt/keyrings/unused.gpg", "KBXf? a keybox")
            .File("/usr/share/keyrings/vendor-archive-keyring.gpg", BinaryKey)
            .Symlink("/etc/apt/keyrings/vendor.gpg", "/usr/share/keyrings/vendor-archive-keyring.gpg")
            .File("/etc/apt/sources.list", """
                deb [signed-by=/usr/share/keyrings/vendor-archive-keyring.gpg] https://vendor.example/ stable main
                deb [signed-by=/etc/apt/keyrings/missing.gpg] https://other.example/ stable main
                """)
            .File("/etc/apt/sources.list.d/vendor.sources", "Types: deb\nURIs: https://vendor.example/\nSuites: testing\nComponents: main\nSigned-By: /etc/apt/keyrings/vendor.gpg\n");
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        Assert.Equal(["/etc/apt/sources.list:2: signed-by /etc/apt/keyrings/missing.gpg does not exist in the guest"], problems);
        Assert.Equal(
            [
                ("/etc/apt/keyrings/unused.gpg", "unknown", ""),
                ("/etc/apt/keyrings/vendor.gpg", "openpgp-binary", "/etc/apt/sources.list.d/vendor.sources"),
                ("/etc/apt/trusted.gpg", "openpgp-binary", "global"),
                ("/etc/apt/trusted.gpg.d/debian.asc", "openpgp-armored", "global"),
                ("/etc/apt/trusted.gpg.d/new.gpg", "openpgp-binary", "global"),
                ("/usr/share/keyrings/vendor-archive-keyring.gpg", "openpgp-binary", "/etc/apt/sources.list"),
            ],
            config.Keyrings.Select(k => (k.Path, k.Format, string.Join(' ', k.ReferencedBy))));
        var vendor = config.Keyrings.Single(k => k.Path == "/etc/apt/keyrings/vendor.gpg");
        Assert.Equal(BinaryKey.Length, vendor.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(BinaryKey)), vendor.Sha256);
        var asc = config.Keyrings.Single(k => k.Path.EndsWith(".asc", StringComparison.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Armored))), asc.Sha256);
    }

    [Fact]
    public void A_keyring_larger_than_the_cap_is_listed_without_a_hash()
    {
        var big = new byte[(1 << 20) + 1];
        BinaryKey.CopyTo(big, 0);
        using var guest = new GuestTree().File("/etc/apt/trusted.gpg.d/huge.gpg", big);
        var problems = new List<string>();

        var config = AptSources.Read(guest.Open(), problems);

        var k = Assert.Single(config.Keyrings);
        Assert.Equal((big.Length, (string?)null, "openpgp-binary"), (k.Size, k.Sha256, k.Format));
        Assert.Equal(
            "/etc/apt/trusted.gpg.d/huge.gpg: keyring of 1048577 bytes is larger than the 1048576 bytes read; not hashed",
            Assert.Single(problems));
    }

    [Theory]
    [InlineData(new byte[] { 0x99, 0x01, 0x0d }, "openpgp-binary")]
    [InlineData(new byte[] { 0x98, 0x33 }, "openpgp-binary")]
    [InlineData(new byte[] { 0xc6, 0x33 }, "openpgp-binary")]
    [InlineData(new byte[] { 0x89, 0x01 }, "unknown")] // a signature packet first (tag 2)
    [InlineData(new byte[] { 0xc2, 0x01 }, "unknown")]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x4b, 0x42, 0x58, 0x66 }, "unknown")] // keybox
    [InlineData(new byte[] { }, "unknown")]
    public void Format_comes_from_the_first_bytes(byte[] prefix, string expected) =>
        Assert.Equal(expected, KeyringFormat.Detect(prefix));

    [Fact]
    public void Description_serializes_with_snake_case_names()
    {
        using var guest = new GuestTree()
            .File("/etc/apt/trusted.gpg", BinaryKey)
            .File("/etc/apt/sources.list", "deb [signed-by=/etc/apt/trusted.gpg arch=amd64] http://x.example/ sid main\n");
        var config = AptSources.Read(guest.Open(), new List<string>());
        var options = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

        var json = System.Text.Json.JsonSerializer.Serialize(config, options);

        Assert.Contains("\"signed_by\":[\"/etc/apt/trusted.gpg\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"referenced_by\":[\"/etc/apt/sources.list\",\"global\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"options\":[{\"name\":\"arch\",\"values\":[\"amd64\"]}]", json, StringComparison.Ordinal);
        Assert.Contains("\"format\":\"one-line\"", json, StringComparison.Ordinal);
    }
}
