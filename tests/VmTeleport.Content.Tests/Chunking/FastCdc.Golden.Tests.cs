using System.Globalization;
using System.Text;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Chunking;

/// <summary>
/// Pins every boundary and id of <see cref="TestBytes.Golden"/>: any change to the gear table, the
/// masks, the cut rule or the hasher changes these files, and so every chunk id ever stored.
/// Regenerate only on purpose: VMTELEPORT_WRITE_GOLDEN=1 writes the files and fails the run.
/// </summary>
public sealed class FastCdcGoldenTests
{
    public static TheoryData<string, int, int, int> Vectors => new()
    {
        { "golden-default.txt", ChunkerOptions.Default.MinSize, ChunkerOptions.Default.AverageSize, ChunkerOptions.Default.MaxSize },
        { "golden-small.txt", 256, 1024, 4096 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Every_boundary_and_id_of_the_golden_input_is_pinned(string file, int min, int avg, int max)
    {
        var cdc = new FastCdc(new ChunkerOptions(min, avg, max));
        var data = TestBytes.Golden();
        var actual = new StringBuilder();
        foreach (var chunk in ChunkReader.Split(new MemoryStream(data), cdc, ChunkHasher.Default))
        {
            actual.Append(CultureInfo.InvariantCulture, $"{chunk.Offset} {chunk.Length} {chunk.Id}\n");
        }

        var path = RepoRoot.Combine("tests", "VmTeleport.Content.Tests", "Chunking", "Golden", file);
        if (Environment.GetEnvironmentVariable("VMTELEPORT_WRITE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual.ToString());
            Assert.Fail($"wrote {path}; unset VMTELEPORT_WRITE_GOLDEN and run again");
        }

        var expected = File.ReadAllText(path);
        Assert.Equal(expected, actual.ToString());
    }

    [Fact]
    public void The_gear_table_is_splitmix64_from_the_documented_seed()
    {
        // First and last entries, also printed in docs/chunking.md for other implementations.
        Assert.Equal(0x564D_5443_4443_3031UL, GearTable.Seed);
        Assert.Equal(256, GearTable.Values.Length);
        Assert.Equal(GearTable.Values.Length, GearTable.Values.Distinct().Count());
        Assert.Equal("0x" + GearTable.Values[0].ToString("x16", CultureInfo.InvariantCulture), FirstGearInDocs());
    }

    private static string FirstGearInDocs()
    {
        var doc = File.ReadAllText(RepoRoot.Combine("docs", "chunking.md"));
        const string marker = "gear[0] = ";
        var at = doc.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, "docs/chunking.md states gear[0]");
        return doc.Substring(at + marker.Length, 18);
    }
}
