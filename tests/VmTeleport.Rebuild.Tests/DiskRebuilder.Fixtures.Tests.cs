using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Rebuild.Verification;
using VmTeleport.TestSupport;

namespace VmTeleport.Rebuild.Tests;

/// <summary>
/// Rebuilds real fixture images and checks the result with oracles that share no code with the
/// rebuild: qemu-img check, e2fsck -fn, and the kernel's view of source and rebuild through
/// read-only loop mounts (tools/oracle/walk.py), besides our own verify.
/// </summary>
public sealed class DiskRebuilderFixturesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-rebuild-").FullName;

    [Theory]
    [InlineData("ext", "ext4.img")]
    [InlineData("ext", "ext4-1k.img")]
    [InlineData("ext", "ext4-128.img")]
    [InlineData("ext", "ext4-plain.img")]
    [InlineData("ext", "ext3.img")]
    [InlineData("ext", "ext2.img")]
    [InlineData("demo", "demo.qcow2")]
    public void Rebuild_is_exact_for_verify_the_kernel_e2fsck_and_qemu_img(string kind, string file)
    {
        var image = Fixtures.Path(kind, file);
        var before = ImageFingerprint.Of(image);
        var output = Path.Combine(_dir, "out.qcow2");

        var (result, report) = RebuildHarness.Rebuild(image, output);

        Assert.True(report.Exact, string.Join("\n", report.Differences));
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
        Assert.True(result.Files > 0);
        Assert.Equal(0, ExternalCommand.Run("qemu-img", ["check", output]).ExitCode);

        var rawSource = RebuildHarness.ToRaw(image, _dir);
        var rawOutput = RebuildHarness.ToRaw(output, _dir);
        foreach (var offset in RebuildHarness.ExtOffsets(image))
        {
            var fsck = ExternalCommand.Run("e2fsck", ["-fn", $"{rawOutput}?offset={offset}"]);
            Assert.True(fsck.ExitCode == 0, fsck.StdOut + fsck.StdErr);
            Assert.Equal(RebuildHarness.KernelView(rawSource, offset), RebuildHarness.KernelView(rawOutput, offset));
            AssertSameFlagsAndTimes(rawSource, rawOutput, offset);
        }

        Assert.Equal(before, ImageFingerprint.Of(image));
    }

    [Fact]
    public void A_snapshot_rebuilds_as_that_snapshot()
    {
        var snapshots = DiskImage.ListSnapshots(Fixtures.Path("demo", "demo.qcow2"));
        Assert.NotEmpty(snapshots);
        var image = Fixtures.Path("demo", "demo.qcow2") + "@" + snapshots[0].Name;
        var output = Path.Combine(_dir, "snap.qcow2");
        var (_, report) = RebuildHarness.Rebuild(image, output);
        Assert.True(report.Exact, string.Join("\n", report.Differences));
        Assert.False(ImageVerification.Compare(Fixtures.Path("demo", "demo.qcow2"), output, 2).Exact);
    }

    /// <summary>What walk.py does not show: inode flags (immutable, …) and atime/ctime/crtime with nanoseconds.</summary>
    private static void AssertSameFlagsAndTimes(string rawSource, string rawOutput, long offset)
    {
        using var a = DiskImage.Open(rawSource);
        using var b = DiskImage.Open(rawOutput);
        using var fa = FileSystemProbe.Open(new BlockSlice(a, offset, a.Length - offset, "source"));
        using var fb = FileSystemProbe.Open(new BlockSlice(b, offset, b.Length - offset, "rebuilt"));
        var rebuilt = fb.Walk().ToDictionary(e => e.Path);
        foreach (var s in fa.Walk())
        {
            var r = rebuilt[s.Path];
            Assert.True((s.Flags & InodeFixups.UserFlags) == (r.Flags & InodeFixups.UserFlags), $"{s.Path}: flags 0x{s.Flags:x} vs 0x{r.Flags:x}");
            Assert.True(s.AtimeNs == r.AtimeNs && s.CtimeNs == r.CtimeNs && s.BirthTimeNs == r.BirthTimeNs, $"{s.Path}: atime/ctime/crtime differ");
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
