using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// The real Debian guest teleported over loopback to a destination that holds the same guest laid
/// out on four filesystems: only metadata and a few chunks cross the wire, and the copy is exact.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DebianGuestPullTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-debian-pull-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Teleported_over_loopback_from_a_similar_local_image_it_is_exact_and_small_on_the_wire()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        var before = ImageFingerprint.Of(image);
        var token = Path.Combine(_dir, "token");
        File.WriteAllText(token, "debian-pull\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var data = Path.Combine(_dir, "dest");
        Cli.Ok("index", "add", Fixtures.Path("debian", "debian12-split.qcow2"), "--data-dir", data);
        var output = Path.Combine(_dir, "debian12.qcow2");
        using (var serve = ServeProcess.Start(token, Path.Combine(_dir, "agent"), "--image", image))
        {
            var r = Cli.Ok("pull", $"{serve.Address}/debian12", "--token-file", token, "--fingerprint", serve.Fingerprint,
                "--output", output, "--data-dir", data, "--json", "--method", "teleport");
            var pull = JsonDocument.Parse(r.Text).RootElement;
            Assert.True(pull.GetProperty("exact").GetBoolean());

            // 700 MB of guest data; besides the description, manifest and layout, only the few
            // chunks that differ between the two layouts (boot code, partition table) travel.
            Assert.True(pull.GetProperty("bytes").GetInt64() > 600_000_000);
            Assert.True(pull.GetProperty("wire_raw_bytes").GetInt64() < 1_000_000, r.Text);
            Assert.True(pull.GetProperty("wire_bytes").GetInt64() < 8_000_000, r.Text);
            Assert.True(pull.GetProperty("local_bytes").GetProperty("image").GetInt64() > 600_000_000, r.Text);
        }

        // Image against image, independently of pull's own verification. (Booting a pulled guest
        // is OutdatedGuestFunctionalTests' part.)
        Assert.Contains("\"exact\":true", Cli.Ok("verify", image, output, "--json").Text, StringComparison.Ordinal);
        Assert.Equal(before, ImageFingerprint.Of(image));
    }
}
