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

    [Fact]
    public void Meta_values_that_are_null_are_left_out_and_others_kept_as_json()
    {
        var meta = TestData.Parse("m.jsonl", """{"meta":{"big.qcow2 bytes":null,"sizes":[1,2],"load":"0.5"}}""", Good).Meta;

        Assert.Equal([new("sizes", "[1,2]"), new("load", "0.5")], meta);
    }

    [Fact]
    public void A_line_as_bench_experiments_writes_it_is_read_with_its_extra_fields_ignored()
    {
        var run = TestData.Parse("experiments.jsonl", """{"source": "webserver", "rate": "80mbit", "run": 1, "method": "vmteleport", "scenario": "packages", "seconds": 31.2, "exit": 0, "wire_bytes": 51755125, "cpu_seconds": {"source": 12.1, "destination": 20.3}, "peak_rss_bytes": {"source": 300000000, "destination": 330000000}, "lower_bound_bytes": 40100000, "exact": true, "phases": {"describe": 7.1, "fetch_description": 1.5, "probe": 0.4, "transfer": 5.0}, "pull_wire_bytes": 51000000, "local_bytes": {"image": 0, "deb": 600000000}, "guest_bytes": 700000000, "decision": {"method": "teleport", "reason": "fewer seconds", "bandwidth_bytes_per_second": 9800000.0, "bandwidth_measured": true, "estimated_seconds": {"teleport": 30.1, "copy": null}, "copy_level": 3}, "note": "n"}""").Runs.Single();

        Assert.Equal(("webserver", "packages", 31.2, 51755125.0), (run.Source, run.Scenario, run.Seconds, run.WireBytes));
        Assert.Equal(["describe", "fetch_description", "probe", "transfer"], run.Phases.Select(p => p.Key));
        Assert.Equal(["teleport"], run.Decision!.EstimatedSeconds.Keys);
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
