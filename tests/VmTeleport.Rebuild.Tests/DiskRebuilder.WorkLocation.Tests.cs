using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.Rebuild.Verification;
using VmTeleport.TestSupport;

namespace VmTeleport.Rebuild.Tests;

/// <summary>
/// The speed options change where and how the rebuild works, never what it writes: one thread on
/// disk and four in memory give disks that verify exact against the source and each other; a
/// rebuild that does not fit the memory limit works on disk; nothing is left in memory.
/// </summary>
public sealed class DiskRebuilderWorkLocationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-rebuild-loc-").FullName;
    private readonly string _memory = Path.Combine("/dev/shm", $"vmt-test-{Guid.NewGuid():N}");

    public DiskRebuilderWorkLocationTests() => Directory.CreateDirectory(_memory);

    [Theory]
    [InlineData("ext", "ext4.img")]
    [InlineData("demo", "demo.qcow2")]
    public void Serial_on_disk_and_parallel_in_memory_give_the_same_exact_disk(string kind, string file)
    {
        var image = Fixtures.Path(kind, file);
        var serial = Rebuild(image, "serial.qcow2", new RebuildOptions { Threads = 1, MemoryLimit = 0 });
        var parallel = Rebuild(image, "parallel.qcow2", new RebuildOptions { Threads = 4, MemoryDirectory = _memory });

        Assert.False(serial.WorkInMemory);
        Assert.True(parallel.WorkInMemory);
        Assert.True(ImageVerification.Compare(serial.Output, parallel.Output, 2).Exact);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_memory));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir), p => !p.EndsWith(".qcow2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rebuild_larger_than_the_memory_limit_works_next_to_the_output()
    {
        var image = Fixtures.Path("ext", "ext4.img");
        using var disk = DiskImage.Open(image);
        var layout = DiskLayout.Read(disk, 2);
        long need = WorkLocation.Estimate(layout);
        Assert.True(need > 0);

        var options = new RebuildOptions { MemoryDirectory = _memory, MemoryLimit = need - 1 };
        Assert.Null(WorkLocation.MemoryDirectory(layout, options, out var why));
        Assert.Contains("limit", why, StringComparison.Ordinal);
        Assert.Equal(_memory, WorkLocation.MemoryDirectory(layout, options with { MemoryLimit = need }, out _));

        Assert.False(Rebuild(image, "small.qcow2", options).WorkInMemory);
    }

    [Fact]
    public void Mkfs_discards_only_its_own_volume()
    {
        var image = Fixtures.Path("ext", "ext4.img");
        using var disk = DiskImage.Open(image);
        var volume = DiskLayout.Read(disk, 2).Volumes[0] with { Offset = 1 << 20 };
        var raw = Path.Combine(_dir, "disk.raw");
        var staging = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        using (var f = new FileStream(raw, FileMode.Create, FileAccess.Write))
        {
            f.SetLength(volume.Offset + volume.Length + 4096);
            f.Position = volume.Offset - 6;
            f.Write("BEFORE"u8);
            f.Position = volume.Offset + volume.Length;
            f.Write("AFTER!"u8);
        }

        ExtFormatter.Format(volume, staging, raw);

        var bytes = File.ReadAllBytes(raw);
        Assert.Equal("BEFORE"u8.ToArray(), bytes[(int)(volume.Offset - 6)..(int)volume.Offset]);
        Assert.Equal("AFTER!"u8.ToArray(), bytes[(int)(volume.Offset + volume.Length)..(int)(volume.Offset + volume.Length + 6)]);
        var fsck = ExternalCommand.Run("e2fsck", ["-fn", $"{raw}?offset={volume.Offset}"]);
        Assert.True(fsck.ExitCode == 0, fsck.StdOut + fsck.StdErr);
    }

    private RebuildResult Rebuild(string image, string name, RebuildOptions options)
    {
        using var disk = DiskImage.Open(image);
        var layout = DiskLayout.Read(disk, 2);
        using var provider = new SourceImageProvider(disk);
        ComparisonReport? report = null;
        var result = DiskRebuilder.Rebuild(layout, provider, Path.Combine(_dir, name), partial =>
        {
            report = ImageVerification.Compare(image, partial, 2);
            return report.Exact;
        }, options);
        Assert.True(report!.Exact, string.Join("\n", report.Differences));
        return result;
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_memory, recursive: true);
    }
}
