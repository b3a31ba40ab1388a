using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// The report's scenario end to end: the LAMP guest teleported over loopback to a destination
/// that holds its distribution's packages (the fixture's .debs) but no image of it. Only user data,
/// edited configuration, the database and the hand-built program cross the wire; the copy is
/// exact; booted under QEMU, Apache serves the same pages and MariaDB returns the same rows as the
/// source did when its fixture was built (expected-checks.txt).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WebserverGuestPullTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-web-pull-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Teleported_from_packages_alone_it_boots_and_serves_the_same_pages_and_rows()
    {
        var image = Path.Combine(Fixtures.Webserver, "webserver.qcow2");
        var before = ImageFingerprint.Of(image);
        var token = Path.Combine(_dir, "token");
        File.WriteAllText(token, "web-pull\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var data = Path.Combine(_dir, "dest");
        Cli.Ok("index", "add", Path.Combine(Fixtures.Webserver, "debs"), "--data-dir", data);
        var output = Path.Combine(_dir, "webserver.qcow2");
        JsonElement pull;
        using (var serve = ServeProcess.Start(token, Path.Combine(_dir, "agent"), "--image", image))
        {
            var r = Cli.Ok("pull", $"{serve.Address}/webserver", "--token-file", token, "--fingerprint", serve.Fingerprint,
                "--output", output, "--data-dir", data, "--json", "--method", "teleport");
            pull = JsonDocument.Parse(r.Text).RootElement.Clone();
        }

        Assert.True(pull.GetProperty("exact").GetBoolean());
        long bytes = pull.GetProperty("bytes").GetInt64();
        long fromDebs = pull.GetProperty("local_bytes").GetProperty("deb").GetInt64();
        long wire = pull.GetProperty("wire_bytes").GetInt64();
        // Most of the guest comes from its packages; what travels is less than a third of it.
        Assert.True(fromDebs > bytes / 2, pull.ToString());
        Assert.True(wire < bytes / 3, pull.ToString());

        var boot = ExternalCommand.Run(RepoRoot.Combine("tools", "fixtures", "boot-check.sh"),
            ["--timeout", "600", "--expect-checks", Path.Combine(Fixtures.Webserver, "expected-checks.txt"), output], TimeSpan.FromMinutes(12));
        Assert.True(boot.ExitCode == 0, boot.StdOut + boot.StdErr);
        Assert.Equal(before, ImageFingerprint.Of(image));
    }
}
