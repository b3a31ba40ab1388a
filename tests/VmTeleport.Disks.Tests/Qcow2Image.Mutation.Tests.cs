using System.Diagnostics;

namespace VmTeleport.Disks.Tests;

/// <summary>
/// Deterministic byte mutations of qcow2 metadata: whatever the damage, opening and reading the
/// whole image either works or throws one of the documented exceptions, and never hangs.
/// </summary>
public sealed class Qcow2ImageMutationTests : IDisposable
{
    private readonly string _dir = DiskFixtures.Scratch();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("v3.qcow2", 1)]
    [InlineData("zstd-c4096.qcow2", 2)]
    [InlineData("l2ext-overlay.qcow2", 3)]
    [InlineData("snap.qcow2", 4)]
    public void Mutated_metadata_fails_only_with_documented_exceptions(string fixture, int seed)
    {
        string path = Path.Combine(_dir, Path.GetFileName(fixture));
        File.Copy(DiskFixtures.Path(fixture), path);
        if (fixture == "l2ext-overlay.qcow2")
        {
            File.Copy(DiskFixtures.Path("content.raw"), Path.Combine(_dir, "content.raw"));
        }

        var original = File.ReadAllBytes(path);
        var targets = MetadataBytes(original);
        var rng = new Random(seed);
        var sw = Stopwatch.StartNew();
        int failures = 0;
        for (int i = 0; i < 100; i++)
        {
            var mutated = (byte[])original.Clone();
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                // Mostly the header, L1 and L2 tables; sometimes anywhere.
                int at = rng.Next(8) == 0 ? rng.Next(mutated.Length) : targets[rng.Next(targets.Count)];
                mutated[at] = (byte)rng.Next(256);
            }

            File.WriteAllBytes(path, mutated);
            try
            {
                using var image = DiskImage.Open(path + (fixture == "snap.qcow2" && i % 2 == 0 ? "@first" : string.Empty));
                DiskFixtures.Sha256(image);
                image.GetExtents(0, image.Length).Count();
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException or FileNotFoundException or KeyNotFoundException)
            {
                Assert.Contains(Path.GetFileName(path).Split('.')[0], e.Message, StringComparison.Ordinal);
                failures++;
            }
        }

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"took {sw.Elapsed}");
        Assert.True(failures > 0, "no mutation was detected at all");
    }

    /// <summary>Offsets of the header's first 112 bytes, the L1 table and the L2 tables it points to.</summary>
    private static List<int> MetadataBytes(byte[] image)
    {
        var result = Enumerable.Range(0, 112).ToList();
        int clusterSize = 1 << (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan(20));
        int l1Size = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan(36));
        int l1 = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(image.AsSpan(40));
        for (int i = 0; i < l1Size; i++)
        {
            result.AddRange(Enumerable.Range(l1 + (i * 8), 8));
            long l2 = (long)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(image.AsSpan(l1 + (i * 8))) & 0x00ff_ffff_ffff_fe00UL);
            if (l2 != 0 && l2 + clusterSize <= image.Length)
            {
                // Only the entries in use (non-zero bytes) are interesting.
                result.AddRange(Enumerable.Range((int)l2, clusterSize).Where(b => image[b] != 0));
            }
        }

        return result;
    }
}
