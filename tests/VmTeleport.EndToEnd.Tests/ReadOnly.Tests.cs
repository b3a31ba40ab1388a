using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// The source is sacred: after every command on every disk fixture (qcow2 in each layout,
/// snapshots, backing chains, raw, partitioned), every file of the fixture set — backing files
/// included — has the same bytes, size and mtime as before.
/// </summary>
public sealed class ReadOnlyTests
{
    [Fact]
    public void No_command_changes_any_image_or_backing_file()
    {
        var dir = Fixtures.Dir("disks");
        var before = ImageFingerprint.AllUnder(dir, ".qcow2", ".raw");
        Assert.True(before.Count >= 20, $"expected the disk fixtures in {dir}");

        var images = before.Select(f => f.Path).ToList();
        images.AddRange(DiskSnapshots(dir));
        int commands = 0;
        foreach (var image in images)
        {
            foreach (var args in new[]
            {
                new[] { "info", image, "--json" },
                ["ls", image, "/"],
                ["tree", image, "--jsonl", "--partition", "1"],
                ["cat", image, "/etc/hostname"],
                ["inspect", image, "--json"],
            })
            {
                // Many of these fail (no filesystem, no such path): failing must not write either.
                var r = Cli.Run(args);
                Assert.True(r.ExitCode is 0 or 2 or 3 or 4 or 5, $"vmteleport {string.Join(' ', args)} exited {r.ExitCode}: {r.StdErr}");
                commands++;
            }
        }

        Assert.Equal(before, ImageFingerprint.AllUnder(dir, ".qcow2", ".raw"));
        Assert.True(commands > 100);
    }

    private static IEnumerable<string> DiskSnapshots(string dir) =>
        new[] { "snap.qcow2@1", "snap.qcow2@first", "snap-v2.qcow2@1" }
            .Select(s => Path.Combine(dir, s))
            .Where(s => File.Exists(s[..s.LastIndexOf('@')]));

    [Fact]
    public void The_fingerprint_sees_a_write_into_a_hole_but_not_preallocation()
    {
        var file = Path.Combine(Path.GetTempPath(), $"vmt-fp-{Guid.NewGuid():N}.img");
        try
        {
            using (var f = new FileStream(file, FileMode.CreateNew))
            {
                f.SetLength(8 << 20);
                f.Position = 1 << 20;
                f.Write(new byte[] { 1, 2, 3 });
            }

            var mtime = File.GetLastWriteTimeUtc(file);
            var first = ImageFingerprint.Of(file);
            // fallocate makes unwritten extents: data or hole to SEEK_DATA depending on the page cache.
            TestSupport.ExternalCommand.Check("fallocate", "-o", "2097152", "-l", "2097152", "--keep-size", file);
            File.SetLastWriteTimeUtc(file, mtime);
            TestSupport.ExternalCommand.Check("dd", $"if={file}", "of=/dev/null", "bs=1M", "skip=2", "count=2", "status=none");
            Assert.Equal(first, ImageFingerprint.Of(file));

            using (var f = new FileStream(file, FileMode.Open, FileAccess.Write))
            {
                f.Position = 5 << 20;
                f.WriteByte(7);
            }

            File.SetLastWriteTimeUtc(file, mtime);
            Assert.NotEqual(first, ImageFingerprint.Of(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
