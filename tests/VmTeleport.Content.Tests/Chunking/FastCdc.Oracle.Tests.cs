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
}
