namespace VmTeleport.Disks.Tests;

/// <summary>Every qcow2 fixture and snapshot reads exactly as `qemu-img convert -O raw` does.</summary>
public sealed class Qcow2ImageQemuOracleTests
{
    [Theory]
    [MemberData(nameof(DiskFixtures.Qcow2Data), MemberType = typeof(DiskFixtures))]
    public void Reads_the_same_bytes_as_qemu(string name)
    {
        string path = DiskFixtures.Path(name);
        var (expected, length) = DiskFixtures.QemuRawSha256(path);
        using var image = DiskImage.Open(path);
        Assert.Equal(length, image.Length);
        Assert.Equal(expected, DiskFixtures.Sha256(image));
    }

    [Theory]
    [MemberData(nameof(DiskFixtures.SnapshotData), MemberType = typeof(DiskFixtures))]
    public void Snapshots_read_the_same_bytes_as_qemu(string name, string snapshot, string qemuOption)
    {
        string path = DiskFixtures.Path(name);
        using var image = DiskImage.Open($"{path}@{snapshot}");
        var (expected, length) = DiskFixtures.QemuRawSha256(path, qemuOption, image.Length);
        Assert.Equal(length, image.Length);
        Assert.Equal(expected, DiskFixtures.Sha256(image));
        Assert.EndsWith($"@{snapshot}", image.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_and_current_state_differ()
    {
        string path = DiskFixtures.Path("snap.qcow2");
        using var current = DiskImage.Open(path);
        using var first = DiskImage.Open(path + "@first");
        Assert.Equal(12L << 20, current.Length);
        Assert.Equal(8L << 20, first.Length);
        Assert.NotEqual(DiskFixtures.Sha256(current), DiskFixtures.Sha256(first));
    }

    [Fact]
    public void Every_qcow2_fixture_is_covered()
    {
        var onDisk = Directory.EnumerateFiles(DiskFixtures.Dir, "*.qcow2", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(DiskFixtures.Dir, p))
            .Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, DiskFixtures.Qcow2Images.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lists_snapshots_with_ids_names_and_sizes()
    {
        var snaps = DiskImage.ListSnapshots(DiskFixtures.Path("snap.qcow2"));
        Assert.Equal(["1 first", "2 second"], snaps.Select(s => $"{s.Id} {s.Name}"));
        Assert.All(snaps, s => Assert.Equal(8L << 20, s.VirtualSize));
        Assert.Empty(DiskImage.ListSnapshots(DiskFixtures.Path("content.raw")));
    }

    [Fact]
    public void Unknown_snapshot_is_an_argument_error_naming_the_choices()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => DiskImage.Open(DiskFixtures.Path("snap.qcow2") + "@nope"));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
        Assert.Contains("first", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_reads_match_the_oracle_at_odd_offsets()
    {
        // Reads that straddle clusters, subclusters and compressed clusters, compared with the raw content.
        using var raw = DiskImage.Open(DiskFixtures.Path("content.raw"));
        var rng = new Random(42);
        foreach (var name in new[] { "v3-c512.qcow2", "zlib.qcow2", "zstd-c4096.qcow2", "l2ext-c65536.qcow2", "v2.qcow2" })
        {
            using var image = DiskImage.Open(DiskFixtures.Path(name));
            for (int i = 0; i < 200; i++)
            {
                long offset = rng.NextInt64(image.Length);
                int count = (int)Math.Min(rng.Next(1, 300_000), image.Length - offset);
                var a = new byte[count];
                var b = new byte[count];
                image.ReadAt(offset, a);
                raw.ReadAt(offset, b);
                Assert.True(a.AsSpan().SequenceEqual(b), $"{name}: 0x{count:x} bytes at 0x{offset:x} differ");
            }
        }
    }
}
