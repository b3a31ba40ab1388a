using System.Text.Json;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`report`: a benchmark's JSON Lines to report.md, report.html and charts; bad lines are exit 4 naming FILE:LINE.</summary>
public sealed class ReportCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void It_writes_the_report_beside_the_results_or_into_out_and_prints_the_goals_as_json()
    {
        var results = Path.Combine(_dir, "results.jsonl");
        File.WriteAllLines(results,
        [
            """{"meta":{"machine":"ci"}}""",
            """{"source":"web","scenario":"any","rate":"80mbit","method":"rsync","seconds":100,"wire_bytes":500000000}""",
            """{"source":"web","scenario":"similar","rate":"80mbit","method":"vmteleport","seconds":10,"wire_bytes":4000000,"lower_bound_bytes":4000000,"phases":{"describe":5,"transfer":1,"rebuild":4},"exact":true}""",
        ]);

        var plain = Cli.Ok("report", results);
        Assert.Contains(Path.Combine(_dir, "report.md"), plain.Text, StringComparison.Ordinal);
        Assert.Contains("| similar | 500.0 MB / 100.0 s, n=1 | 4.0 MB / 10.0 s, n=1 |", File.ReadAllText(Path.Combine(_dir, "report.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "report.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "charts", "wire-web-80mbit.svg")));
        Assert.True(File.Exists(Path.Combine(_dir, "charts", "phases-web-80mbit.png")));

        var outDir = Path.Combine(_dir, "out");
        var json = Cli.Ok("report", results, "--out", outDir, "--title", "CI run", "--json");
        using var summary = JsonDocument.Parse(json.Text);
        var row = summary.RootElement.GetProperty("goals").EnumerateArray().Single();
        Assert.Equal("similar", row.GetProperty("scenario").GetString());
        Assert.Equal(0.1, row.GetProperty("time_to_rsync").GetProperty("value").GetDouble(), 9);
        Assert.True(row.GetProperty("time_to_rsync").GetProperty("met").GetBoolean());
        Assert.StartsWith("# CI run\n", File.ReadAllText(Path.Combine(outDir, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_line_is_exit_4_naming_the_file_and_line_and_a_missing_file_exit_3()
    {
        var results = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(results, ["""{"source":"web","scenario":"any","method":"rsync"}""", """{"source":"web","scenario":"any","method":"rsync","seconds":"slow"}"""]);

        var bad = Cli.Run("report", results);
        Assert.Equal(4, bad.ExitCode);
        Assert.StartsWith($"vmteleport: corrupt input: {results}:2: \"seconds\" must be a number", bad.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "report.md")));

        Assert.Equal(3, Cli.Run("report", Path.Combine(_dir, "nope.jsonl")).ExitCode);
    }
}
