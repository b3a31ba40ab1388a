using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// The Debian guest spread over /boot, /, /var and /home filesystems (debian12-split.qcow2) is the
/// same guest as on one filesystem (debian12.qcow2): each filesystem gets its role, fstab merges
/// them, and every path has the class it has on the single-filesystem disk.
/// </summary>
public sealed class DebianGuestSplitTests
{
    [Fact]
    public void Four_filesystems_merge_into_the_same_guest_as_one()
    {
        var dir = Directory.CreateTempSubdirectory("vmt-split-").FullName;
        try
        {
            var split = Fixtures.Path("debian", "debian12-split.qcow2");
            var before = ImageFingerprint.Of(split);
            using var s = JsonDocument.Parse(Cli.Ok("inspect", split, "--json", "--manifest", Path.Combine(dir, "split.jsonl")).StdOut);
            using var one = JsonDocument.Parse(Cli.Ok("inspect", Fixtures.Path("debian", "debian12.qcow2"), "--json", "--manifest", Path.Combine(dir, "one.jsonl")).StdOut);
            var d = s.RootElement;

            var mounts = d.GetProperty("filesystems").EnumerateArray()
                .Select(f => (f.GetProperty("partition").GetInt32(), f.GetProperty("mount_point").GetString(), f.GetProperty("uuid").GetString()))
                .Order().ToList();
            Assert.Equal(
                [(1, "/boot", "5e1f0a7e-b007-4b1a-9c3e-7e1e9047d012"), (2, "/", "5e1f0a7e-0d1e-4b1a-9c3e-7e1e9047d012"),
                 (3, "/var", "5e1f0a7e-0a12-4b1a-9c3e-7e1e9047d012"), (4, "/home", "5e1f0a7e-4043-4b1a-9c3e-7e1e9047d012")],
                mounts);
            Assert.Equal("root", d.GetProperty("filesystems").EnumerateArray().Single(f => f.GetProperty("partition").GetInt32() == 2).GetProperty("role").GetString());
            var fstab = d.GetProperty("fstab").EnumerateArray().Select(e => e.GetProperty("mount_point").GetString()).ToList();
            Assert.Equal(["/", "/boot", "/var", "/home", "none"], fstab);
            Assert.Empty(d.GetProperty("problems").EnumerateArray());

            // The kernel found under /boot, GRUB's files on the /boot filesystem.
            Assert.StartsWith("/boot/vmlinuz-", d.GetProperty("os").GetProperty("kernels")[0].GetProperty("path").GetString(), StringComparison.Ordinal);
            Assert.Equal("grub-bios", d.GetProperty("bootloader").GetProperty("kind").GetString());
            Assert.Equal(
                one.RootElement.GetProperty("packages").GetRawText(),
                d.GetProperty("packages").GetRawText());

            // Same paths with the same classes, except what the split disk has in addition: the
            // lost+found of each extra filesystem.
            static Dictionary<string, string> Classes(string manifest) => File.ReadLines(manifest)
                .Select(l => JsonDocument.Parse(l).RootElement)
                .ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("class").GetString()!, StringComparer.Ordinal);
            var splitClasses = Classes(Path.Combine(dir, "split.jsonl"));
            var oneClasses = Classes(Path.Combine(dir, "one.jsonl"));
            Assert.Equal(["/boot/lost+found", "/home/lost+found", "/var/lost+found"], splitClasses.Keys.Except(oneClasses.Keys).Order(StringComparer.Ordinal));
            Assert.Empty(oneClasses.Keys.Except(splitClasses.Keys));
            Assert.DoesNotContain(oneClasses, kv => splitClasses[kv.Key] != kv.Value);
            Assert.Equal("unowned", splitClasses["/home/alice/notes.txt"]);
            Assert.Equal(before, ImageFingerprint.Of(split));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
