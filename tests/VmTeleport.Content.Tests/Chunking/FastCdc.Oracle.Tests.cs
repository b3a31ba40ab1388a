using System.Globalization;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Chunking;

/// <summary>Compares every boundary and id with tools/oracle/fastcdc.py, written from docs/chunking.md alone
/// (ids: Python's hashlib SHA-256).</summary>
public sealed class FastCdcOracleTests
{
    public static TheoryData<string, int, int, int> Inputs => new()
    {
        { "golden", 2048, 8192, 32768 },
        { "golden", 4096, 16384, 65536 },
        { "golden", 256, 1024, 4096 },
        { "random", 2048, 8192, 32768 },
        { "text", 512, 2048, 8192 },
        { "text", 2048, 2048, 2048 },
        { "random", 1, 64, 100 },
        { "zeros-then-random", 4096, 16384, 65536 },
        { "sparse", 2048, 8192, 32768 },
        { "sparse", 256, 1024, 4096 },
        { "sparse", 1, 64, 100 },
        { "empty", 4096, 16384, 65536 },
        { "short", 4096, 16384, 65536 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Boundaries_and_ids_equal_the_python_reference(string input, int min, int avg, int max)
    {
        var data = input switch
        {
            "golden" => TestBytes.Golden(),
            "random" => TestBytes.SplitMix(7, 600_000),
            "text" => TestBytes.Text(3, 400_000),
            "zeros-then-random" => [.. new byte[300_000], .. TestBytes.SplitMix(9, 300_000)],
            "sparse" => Sparse(),
            "empty" => [],
            "short" => TestBytes.SplitMix(5, 4000),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        var path = Path.Combine(Path.GetTempPath(), $"vmteleport-fastcdc-{Environment.ProcessId}-{input}-{min}-{avg}-{max}.bin");
        File.WriteAllBytes(path, data);
        try
        {
            var oracle = ExternalCommand.Check("python3", RepoRoot.Combine("tools", "oracle", "fastcdc.py"),
                min.ToString(CultureInfo.InvariantCulture), avg.ToString(CultureInfo.InvariantCulture),
                max.ToString(CultureInfo.InvariantCulture), path);
            var expected = oracle.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var actual = ChunkReader.Split(new MemoryStream(data), new FastCdc(new ChunkerOptions(min, avg, max)), ChunkHasher.Default)
                .Select(c => $"{c.Offset} {c.Length} {c.Id}").ToArray();
            Assert.Equal(expected, actual);
            Assert.True(data.Length == 0 || actual.Length > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Zero runs (the chunker's shortcut) of many lengths between data, with lone bytes inside them.</summary>
    private static byte[] Sparse()
    {
        var data = new byte[1_500_000];
        var random = TestBytes.SplitMix(11, data.Length);
        int at = 0;
        foreach (var (zeros, bytes) in new[] { (200_000, 5000), (33_000, 1), (32_767, 2), (70_000, 100), (4_095, 3000), (300_000, 1), (500_000, 0) })
        {
            at += zeros;
            random.AsSpan(at, Math.Min(bytes, data.Length - at)).CopyTo(data.AsSpan(at));
            at += bytes;
        }

        foreach (var lone in new[] { 210_000, 210_000 + 2048, 210_000 + 9000, 700_000, 700_000 + 255, 700_000 + 256 })
        {
            data[lone] = 1;
        }

        return data;
    }
}
