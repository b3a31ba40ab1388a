using System.Text;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// The commands on the README's demo disk (tools/fixtures/demo.sh): a qcow2 with an MBR table, one
/// ext4 partition at 1 MiB and an internal snapshot holding an earlier version of the tree.
/// </summary>
public sealed class DemoDiskCommandsTests
{
    private const long PartitionOffset = 1 << 20;

    private static string Image => Fixtures.Path("demo", "demo.qcow2");

    [Theory]
    [InlineData(null)]
    [InlineData("before-edit")]
    [InlineData("1")]
    public void Tree_equals_the_kernels_view_of_the_same_state(string? snapshot)
    {
        var raw = QemuOracle.ConvertToRaw(Image, snapshot);
        try
        {
            IReadOnlyList<string> kernel;
            using (var mount = LoopMount.Raw(raw, PartitionOffset))
            {
                kernel = mount.Walk();
            }

            var spec = snapshot is null ? Image : $"{Image}@{snapshot}";
            var ours = Cli.Ok("tree", spec, "--jsonl").Lines;
            Assert.Null(TreeComparison.Differences(kernel, ours));
            // Byte for byte too: the format promises walk.py's exact escaping (docs/tree-format.md).
            Assert.Equal(kernel, ours);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(raw)!, true);
        }
    }

    [Fact]
    public void Snapshot_and_current_state_differ_where_the_fixture_edited_them()
    {
        Assert.Equal("<h1>version 2</h1>\n", Cli.Ok("cat", Image, "/var/www/html/index.html").Text);
        Assert.Equal("<h1>version 1</h1>\n", Cli.Ok("cat", Image + "@before-edit", "/var/www/html/index.html").Text);
    }

    [Fact]
    public void Cat_follows_symlinks_inside_the_guest()
    {
        Assert.Equal("<h1>version 2</h1>\n", Cli.Ok("cat", Image, "/home/alice/site").Text);
        Assert.Equal("demo-vm\n", Cli.Ok("cat", Image, "/etc/hostname").Text);
    }

    [Fact]
    public void Ls_lists_a_directory_like_ls_la()
    {
        var lines = Cli.Ok("ls", Image, "/home/alice").Lines;
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("-rw-r--r--", lines[0]);
        Assert.EndsWith(" notes.txt", lines[0]);
        Assert.Contains(" 1000 ", lines[0]);
        Assert.StartsWith("lrwxrwxrwx", lines[1]);
        Assert.EndsWith("site -> ../../var/www/html/index.html", lines[1]);

        var root = Cli.Ok("ls", Image, "/").Lines;
        Assert.StartsWith("drwxrwxrwt", root.Single(l => l.EndsWith(" tmp", StringComparison.Ordinal)));
    }

    [Fact]
    public void Info_shows_the_partition_and_its_filesystem()
    {
        var text = Cli.Ok("info", Image).Text;
        Assert.Contains("partitions: mbr", text);
        Assert.Contains("snapshot:   1 before-edit", text);
        Assert.Contains("ext4", text);
        Assert.Contains("boot", text);
    }

    [Fact]
    public void Info_json_describes_the_table_for_scripts()
    {
        var info = System.Text.Json.Nodes.JsonNode.Parse(Cli.Ok("info", Image, "--json").Text)!;
        Assert.Equal(64L << 20, info["virtual_size"]!.GetValue<long>());
        Assert.Equal("mbr", info["partition_table"]!.GetValue<string>());
        Assert.Equal(0x7e1e0001u, info["mbr_signature"]!.GetValue<uint>());
        var p = info["partitions"]!.AsArray().Single()!;
        Assert.Equal(1, p["number"]!.GetValue<int>());
        Assert.Equal(1L << 20, p["offset"]!.GetValue<long>());
        Assert.Equal(0x83, p["mbr_type"]!.GetValue<int>());
        Assert.True(p["bootable"]!.GetValue<bool>());
        Assert.Equal("ext4", p["filesystem"]!.GetValue<string>());
        Assert.InRange(info["data_bytes"]!.GetValue<long>(), 1, 64L << 20);
        var snapshot = info["snapshots"]!.AsArray().Single()!;
        Assert.Equal("1", snapshot["id"]!.GetValue<string>());
        Assert.Equal("before-edit", snapshot["name"]!.GetValue<string>());
    }

    [Fact]
    public void Missing_things_exit_3_with_a_message_naming_them()
    {
        var noImage = Cli.Run("ls", "/nonexistent/disk.qcow2");
        Assert.Equal(3, noImage.ExitCode);
        Assert.Contains("/nonexistent/disk.qcow2", noImage.StdErr);

        var noPath = Cli.Run("cat", Image, "/etc/no-such-file");
        Assert.Equal(3, noPath.ExitCode);
        Assert.Contains("/etc/no-such-file", noPath.StdErr);

        var noSnapshot = Cli.Run("ls", Image + "@no-such-snapshot");
        Assert.Equal(3, noSnapshot.ExitCode);
        Assert.Contains("no-such-snapshot", noSnapshot.StdErr);

        var noPartition = Cli.Run("ls", Image, "/", "--partition", "7");
        Assert.Equal(3, noPartition.ExitCode);
        Assert.Contains("partition 7", noPartition.StdErr);
    }

    [Fact]
    public void Cat_of_a_directory_is_a_usage_error()
    {
        var r = Cli.Run("cat", Image, "/etc");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a regular file", r.StdErr);
        Assert.Empty(r.StdOut);
    }

    [Fact]
    public void No_command_changes_the_image()
    {
        var before = ImageFingerprint.Of(Image);
        Cli.Ok("info", Image);
        Cli.Ok("ls", Image + "@1", "/");
        Cli.Ok("cat", Image, "/home/alice/notes.txt");
        Cli.Ok("tree", Image, "--jsonl");
        Cli.Run("cat", Image, "/missing");
        Assert.Equal(before, ImageFingerprint.Of(Image));
        Assert.Equal(Encoding.UTF8.GetBytes("demo-vm\n"), Cli.Ok("cat", Image, "/etc/hostname").StdOut);
    }
}
