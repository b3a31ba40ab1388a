using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>
/// `tree` on real Debian 12 guests (tools/fixtures/debian.sh: ~17,000 entries, ~700 MB of files)
/// equals the kernel's reading of the same filesystem, field for field, for raw and qcow2 disks
/// with MBR and GPT tables. The kernel mounts the raw twin: the qcow2 is qemu-img's conversion of it.
/// </summary>
public sealed class DebianGuestTreeTests
{
    private static readonly Lazy<IReadOnlyList<string>> KernelMbr = new(() => KernelWalk("debian12.raw", 2048L * 512));
    private static readonly Lazy<IReadOnlyList<string>> KernelGpt = new(() => KernelWalk("debian12-gpt.raw", 4096L * 512));

    [Theory]
    [InlineData("debian12.raw", false)]
    [InlineData("debian12.qcow2", false)]
    [InlineData("debian12-gpt.qcow2", true)]
    public void Tree_equals_the_kernels_view(string image, bool gpt)
    {
        var path = Fixtures.Path("debian", image);
        var before = ImageFingerprint.Of(path);
        var ours = Cli.Ok("tree", path, "--jsonl").Lines;
        var kernel = gpt ? KernelGpt.Value : KernelMbr.Value;
        Assert.Null(TreeComparison.Differences(kernel, ours));
        // Byte for byte too: the format promises walk.py's exact escaping (docs/tree-format.md).
        Assert.Equal(kernel, ours);
        Assert.True(ours.Count > 10_000, $"only {ours.Count} entries: not the whole guest");
        Assert.Equal(before, ImageFingerprint.Of(path));
    }

    [Fact]
    public void Cat_reads_the_guests_files_through_its_symlinks()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        Assert.Contains("VERSION_ID=\"12\"", Cli.Ok("cat", image, "/etc/os-release").Text);
        Assert.Equal("vmteleport-debian12\n", Cli.Ok("cat", image, "/etc/hostname").Text);
    }

    [Fact]
    public void Gpt_disk_picks_the_only_readable_partition_and_rejects_the_bios_boot_one()
    {
        var image = Fixtures.Path("debian", "debian12-gpt.qcow2");
        Assert.Contains("vmlinuz", Cli.Ok("ls", image, "/boot").Text);
        var bios = Cli.Run("ls", image, "/", "--partition", "1");
        Assert.NotEqual(0, bios.ExitCode);
        Assert.Contains("partition 1", bios.StdErr);
    }

    private static IReadOnlyList<string> KernelWalk(string image, long offset)
    {
        using var mount = LoopMount.Raw(Fixtures.Path("debian", image), offset);
        return mount.Walk();
    }
}
