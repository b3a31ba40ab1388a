using VmTeleport.Reporting.Results;

namespace VmTeleport.Reporting.Tests;

public sealed class ResultsReaderReadTests
{
    private const string Good = """{"source":"web","scenario":"s","rate":"80mbit","method":"rsync","seconds":1}""";

    [Fact]
    public void The_meta_line_and_every_run_are_read_and_blank_lines_and_unknown_fields_skipped()
    {
        var results = TestData.Results();

        Assert.Equal(20, results.Runs.Count);
        Assert.Equal(["machine", "date", "image_bytes", "command"], results.Meta.Select(m => m.Key));
        Assert.Equal("2-core test VM", results.Meta[0].Value);
        Assert.Equal("700000000", results.Meta[2].Value);

        var run = results.Runs.First(r => r.Method == "vmteleport");
        Assert.Equal(("web", "similar", "80mbit", 1, 0), (run.Source, run.Scenario, run.Rate, run.Run, run.Exit));
        Assert.Equal((20.0, 12e6, 12e6), (run.Seconds, run.WireBytes, run.LowerBoundBytes));
        Assert.Equal(["describe", "fetch_description", "plan", "transfer", "rebuild", "verify"], run.Phases.Select(p => p.Key));
        Assert.Equal(new EndPair(10, 20), run.CpuSeconds);
        Assert.Equal(new EndPair(300e6, 330e6), run.PeakRssBytes);
        Assert.True(run.Exact);
        Assert.Equal(("teleport", "a similar image is local", 9.8e6), (run.Decision!.Method, run.Decision.Reason, run.Decision.BandwidthBytesPerSecond));
        Assert.Equal(55.0, run.Decision.EstimatedSeconds["copy"]);
        Assert.Equal($"{TestData.ResultsPath}:11", run.Origin);
    }

    [Fact]
    public void Missing_fields_are_unknown_and_a_missing_rate_is_unshaped()
    {
        var run = TestData.Parse("r.jsonl", """{"source":"web","scenario":"s","method":"casync","exact":null}""").Runs.Single();

        Assert.Equal(BenchmarkRun.Unshaped, run.Rate);
        Assert.Null(run.Exact);
        Assert.Null(run.Seconds);
        Assert.Null(run.Decision);
        Assert.Empty(run.Phases);
        Assert.False(run.Flawed);
    }

    [Theory]
    [InlineData("{\"source\":\"web\",", "not a JSON object")]
    [InlineData("[1,2]", "expected a JSON object, found array")]
    [InlineData("""{"source":"web","scenario":"s","method":"rsync","seconds":"fast"}""", "\"seconds\" must be a number, found \"fast\"")]
    [InlineData("""{"source":"web","scenario":"s","method":"rsync","run":1.5}""", "\"run\" must be an integer")]
    [InlineData("""{"source":"web","scenario":"s","method":"rsync","phases":{"plan":"x"}}""", "\"phases.plan\" must be a number")]
    [InlineData("""{"source":"web","scenario":"s","method":"rsync","exact":"yes"}""", "\"exact\" must be true, false or null")]
    [InlineData("""{"source":"web","scenario":"s","seconds":3}""", "\"method\" is missing")]
    [InlineData("""{"meta":{"late":true}}""", "must be the first line")]
    public void A_bad_line_is_an_error_naming_the_file_and_line(string bad, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => TestData.Parse("bench.jsonl", Good, "", bad, Good));

        Assert.StartsWith("bench.jsonl:3: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_runs_is_an_error()
    {
        var e = Assert.Throws<InvalidDataException>(() => TestData.Parse("empty.jsonl", """{"meta":{"machine":"x"}}""", ""));
        Assert.Contains("empty.jsonl: no runs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => ResultsReader.Read(Path.Combine(AppContext.BaseDirectory, "Data", "nope.jsonl")));
    }
}
