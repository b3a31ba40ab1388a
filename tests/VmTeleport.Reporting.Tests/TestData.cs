using VmTeleport.Reporting.Results;

namespace VmTeleport.Reporting.Tests;

/// <summary>
/// Data/results.jsonl: a hand-made benchmark of source "web" at 80mbit (scenarios "similar" and
/// "packages") and unshaped ("similar"), with every value chosen so the expected medians, ranges
/// and ratios are known (the comments in the tests work them out).
/// </summary>
internal static class TestData
{
    public static string ResultsPath => Path.Combine(AppContext.BaseDirectory, "Data", "results.jsonl");

    public static BenchmarkResults Results() => ResultsReader.Read(ResultsPath);

    /// <summary>Reads JSON Lines given as text, under the name FILE so messages can be checked.</summary>
    public static BenchmarkResults Parse(string file, params string[] lines) =>
        ResultsReader.Read(new StringReader(string.Join('\n', lines)), file);
}
