using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `inspect` on the real Debian 12 web server (tools/fixtures/webserver.sh): the LAMP packages are
/// found, and the entries a teleport must carry itself — websites, the database, software built by
/// hand, a user's home — are unowned, while the edited conffiles are package-modified. No boot
/// here: booting a rebuilt copy against expected-checks.txt is the teleport test's job.
/// </summary>
public sealed class WebserverGuestInspectTests
{
    [Fact]
    public void Finds_the_lamp_packages_and_classes_what_the_admin_added_and_edited()
    {
        var image = Fixtures.Path("webserver", "webserver.qcow2");
        var before = ImageFingerprint.Of(image);
        var manifestPath = Path.Combine(Path.GetTempPath(), $"vmt-webserver-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var doc = JsonDocument.Parse(Cli.Ok("inspect", image, "--json", "--manifest", manifestPath).StdOut);
            var d = doc.RootElement;
            var os = d.GetProperty("os");
            Assert.Equal(("debian", 12, "vmteleport-webserver"), (os.GetProperty("distro").GetString(), os.GetProperty("major_version").GetInt32(), os.GetProperty("hostname").GetString()));
            var root = d.GetProperty("filesystems").EnumerateArray().Single(f => f.GetProperty("mount_point").GetString() == "/");
            Assert.Equal(("5e1f0a7e-3eb5-4b1a-9c3e-7e1e9047d012", "webserver-root"), (root.GetProperty("uuid").GetString(), root.GetProperty("label").GetString()));

            // The oracle: dpkg-query run in the guest's chroot when the fixture was built.
            var expected = File.ReadAllLines(Fixtures.Path("webserver", "packages.txt")).Where(l => l.Length > 0).Order(StringComparer.Ordinal);
            var packages = d.GetProperty("packages").EnumerateArray()
                .Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()} {p.GetProperty("architecture").GetString()}")
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, packages);
            var names = packages.Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
            foreach (var name in new[] { "apache2", "libapache2-mod-php8.2", "php8.2-mysql", "mariadb-server", "mariadb-client", "curl" })
            {
                Assert.Contains(name, names);
            }

            var entries = new Dictionary<string, (string Class, string? Package, long Size)>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(manifestPath))
            {
                using var e = JsonDocument.Parse(line);
                var r = e.RootElement;
                var package = r.GetProperty("package");
                entries[r.GetProperty("path").GetString()!] = (
                    r.GetProperty("class").GetString()!,
                    package.ValueKind == JsonValueKind.String ? package.GetString() : null,
                    r.TryGetProperty("size", out var size) ? size.GetInt64() : 0);
            }

            // What the admin added: websites, the database's files, software under /usr/local, a home.
            foreach (var path in new[]
            {
                "/srv/www/site1/index.html", "/srv/www/site1/logo.png", "/srv/www/site2/index.php", "/srv/www/site2/config.php",
                "/var/lib/mysql/shop/items.ibd", "/var/lib/mysql/shop/orders.ibd",
                "/usr/local/bin/shopstat", "/usr/local/src/shopstat/shopstat.c", "/usr/local/etc/shopstat.conf",
                "/home/webdev/notes.txt", "/home/webdev/backups/shop-2024-01-07.sql.gz",
                "/etc/apache2/sites-available/site1.conf", "/etc/apt/sources.list.d/php-fixture.sources",
                // ucf copies php.ini from /usr/lib/php in the postinst: no package owns the edited copy.
                "/etc/php/8.2/apache2/php.ini",
            })
            {
                Assert.True(entries.TryGetValue(path, out var entry), $"{path} is not in the manifest");
                Assert.Equal(("unowned", (string?)null), (entry.Class, entry.Package));
                Assert.True(entry.Size > 0, $"{path} is empty");
            }

            // Edited conffiles, and untouched files of the same packages for contrast.
            Assert.Equal(("package-modified", "apache2"), ClassOf("/etc/apache2/apache2.conf"));
            Assert.Equal(("package-modified", "apache2"), ClassOf("/etc/apache2/conf-available/security.conf"));
            Assert.Equal(("package-modified", "mariadb-server"), ClassOf("/etc/mysql/mariadb.conf.d/50-server.cnf"));
            Assert.Equal(("package", "apache2"), ClassOf("/etc/apache2/ports.conf"));
            Assert.Equal(("package", "apache2-bin"), ClassOf("/usr/sbin/apache2"));
            Assert.Equal("package", ClassOf("/usr/sbin/mariadbd").Class);
            Assert.Equal(before, ImageFingerprint.Of(image));

            (string Class, string? Package) ClassOf(string path)
            {
                Assert.True(entries.TryGetValue(path, out var entry), $"{path} is not in the manifest");
                return (entry.Class, entry.Package);
            }
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }

    [Fact]
    public void Its_first_boot_recorded_every_service_check()
    {
        // What the teleport test compares a rebuilt copy's boot with (boot-check.sh --expect-checks).
        var lines = File.ReadAllLines(Fixtures.Path("webserver", "expected-checks.txt"));
        Assert.Equal(
            new[] { "service-apache2", "service-mariadb", "http-site1", "http-site1-logo", "http-site2", "sql-items", "sql-orders", "local-bin" },
            lines.Select(l => l.Split(' ')[1]));
        Assert.All(lines, l => Assert.StartsWith("VMTELEPORT-CHECK ", l, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("FAILED", StringComparison.Ordinal));
        Assert.Contains("VMTELEPORT-CHECK service-mariadb active", lines);
        Assert.EndsWith(" 5000", lines.Single(l => l.Split(' ')[1] == "sql-items"), StringComparison.Ordinal);
    }
}
