using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `tree` finds the filesystem the user means on partitioned disks (tools/fixtures/disks.sh): an
/// MBR disk with ext4 in a primary and in a logical partition, a GPT disk with one ext4 among a
/// BIOS boot, swap and data partition, and a whole-disk ext4 with no table. Each result equals the
/// kernel's mount of the same filesystem, byte for byte.
/// </summary>
public sealed class PartitionedDisksTreeTests
{
    [Theory]
    [InlineData("mbr.qcow2", "mbr.raw", 1, 2048L * 512)]
    [InlineData("mbr.qcow2", "mbr.raw", 5, 16384L * 512)]
    [InlineData("mbr.raw", "mbr.raw", 5, 16384L * 512)]
    [InlineData("gpt.qcow2", "gpt.raw", null, 4096L * 512)]
    [InlineData("gpt.raw", "gpt.raw", 2, 4096L * 512)]
    [InlineData("bare-ext4.raw", "bare-ext4.raw", null, 0L)]
    public void Tree_of_the_chosen_partition_equals_the_kernels_view(string image, string raw, int? partition, long offset)
    {
        IReadOnlyList<string> kernel;
        using (var mount = LoopMount.Raw(Fixtures.Path("disks", raw), offset))
        {
            kernel = mount.Walk();
        }

        var args = new List<string> { "tree", Fixtures.Path("disks", image), "--jsonl" };
        if (partition is int n)
        {
            args.AddRange(["--partition", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var ours = Cli.Ok([.. args]).Lines;
        Assert.Null(TreeComparison.Differences(kernel, ours));
        Assert.Equal(kernel, ours);
    }

    [Fact]
    public void Several_filesystems_and_no_partition_is_a_usage_error_listing_them()
    {
        var r = Cli.Run("tree", Fixtures.Path("disks", "mbr.qcow2"), "--jsonl");
        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.Contains("--partition", r.StdErr);
        Assert.Contains("1 (ext4, 4.0 MiB at 1.0 MiB)", r.StdErr);
        Assert.Contains("5 (ext4, 8.0 MiB at 8.0 MiB)", r.StdErr);
        Assert.Contains("2 (unknown", r.StdErr);
    }

    [Fact]
    public void A_partition_without_a_filesystem_is_named_with_its_type()
    {
        var r = Cli.Run("ls", Fixtures.Path("disks", "gpt.qcow2"), "/", "--partition", "3");
        Assert.Equal(5, r.ExitCode);
        Assert.Contains("partition 3", r.StdErr);
        Assert.Contains("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", r.StdErr);
    }

    [Fact]
    public void No_table_means_no_partition_numbers()
    {
        var r = Cli.Run("ls", Fixtures.Path("disks", "bare-ext4.raw"), "/", "--partition", "1");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("no partition table", r.StdErr);
    }
}
