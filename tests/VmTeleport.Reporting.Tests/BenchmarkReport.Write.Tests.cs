using System.Text.Json;
using System.Xml.Linq;

namespace VmTeleport.Reporting.Tests;

/// <summary>The whole report from Data/results.jsonl, written once for the class (rendering charts takes a second).</summary>
public sealed class BenchmarkReportWriteTests(BenchmarkReportWriteTests.Written written) : IClassFixture<BenchmarkReportWriteTests.Written>
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    [Fact]
    public void It_writes_the_report_the_page_and_each_chart_as_svg_and_png()
    {
        Assert.Equal(Path.Combine(written.Directory, "report.md"), written.Output.Markdown);
        Assert.Equal(Path.Combine(written.Directory, "report.html"), written.Output.Html);
        var expected = new[] { "wire-web-80mbit", "seconds-web-80mbit", "phases-web-80mbit", "wire-web-none", "seconds-web-none" }
            .SelectMany(n => new[] { $"{n}.svg", $"{n}.png" })
            .Order();
        // The unshaped runs report no phases: that group has no phase chart.
        Assert.Equal(expected, Directory.GetFiles(Path.Combine(written.Directory, "charts")).Select(Path.GetFileName).Order());
        Assert.Equal(["report.html", "report.md"], Directory.GetFiles(written.Directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Charts_are_valid_png_and_svg_naming_the_scenarios()
    {
        foreach (var png in Directory.GetFiles(Path.Combine(written.Directory, "charts"), "*.png"))
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000, png);
            Assert.Equal(PngSignature, bytes[..8]);
        }

        foreach (var svg in Directory.GetFiles(Path.Combine(written.Directory, "charts"), "*.svg"))
        {
            var root = XDocument.Load(svg).Root!;
            Assert.Equal("svg", root.Name.LocalName);
            var text = string.Join(' ', root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
            Assert.Contains("similar", text, StringComparison.Ordinal);
            if (svg.Contains("80mbit", StringComparison.Ordinal))
            {
                Assert.Contains("packages", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_wire_chart_names_its_methods_and_is_logarithmic_when_sizes_span_decades()
    {
        var svg = XDocument.Load(Path.Combine(written.Directory, "charts", "wire-web-80mbit.svg")).Root!;
        var text = string.Join(' ', svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        foreach (var method in new[] { "rsync", "zstd-patch", "casync", "vmteleport-teleport", "vmteleport" })
        {
            Assert.Contains(method, text, StringComparison.Ordinal);
        }

        Assert.Contains("log scale", text, StringComparison.Ordinal);  // 12 MB to 520 MB
        Assert.Contains("MB on the wire", text, StringComparison.Ordinal);
        var phases = string.Join(' ', XDocument.Load(Path.Combine(written.Directory, "charts", "phases-web-80mbit.svg")).Descendants().Select(e => e.Value));
        Assert.Contains("extract_packages", phases, StringComparison.Ordinal);
        Assert.Contains("seconds", phases, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_has_the_meta_the_main_goals_and_phase_tables_and_the_png_charts()
    {
        var md = File.ReadAllText(written.Output.Markdown);

        Assert.StartsWith("# Test run\n", md, StringComparison.Ordinal);
        Assert.Contains("- **machine**: 2-core test VM", md, StringComparison.Ordinal);
        Assert.Contains("| scenario | rsync | rsync-sparse-raw | zstd-patch | casync | vmteleport-copy | vmteleport-teleport | vmteleport |", md, StringComparison.Ordinal);
        // rsync ran in scenario "any": the same cell in both scenarios.
        Assert.Contains("| similar | 510.0 (500.0–520.0) MB / 110.0 (100.0–120.0) s, n=3 | 400.0 MB / 90.0 s, n=1 | 40.0 MB / 20.0 s, n=1 |", md, StringComparison.Ordinal);
        Assert.Contains("| packages | 510.0 (500.0–520.0) MB / 110.0 (100.0–120.0) s, n=3 | 400.0 MB / 90.0 s, n=1 | 200.0 MB / 60.0 s, n=1 |", md, StringComparison.Ordinal);
        Assert.Contains("| 13.0 (12.0–14.0) MB / 21.0 (20.0–30.0) s, n=3 |\n", md, StringComparison.Ordinal);
        Assert.Contains("| 300.0 MB / 100.0 s, n=1 ✗ | 61.0 MB / 60.0 s, n=1 | 61.0 (60.0–62.0) MB / 71.0 (70.0–72.0) s, n=2 ✗ |", md, StringComparison.Ordinal);

        Assert.Contains("| web | 80mbit | similar | 1.08 ✓ | 0.43 ✓ (casync) | 0.19 ✓ | 1.05 ✓ | 0.19 ✓ | teleport: a similar image is local |", md, StringComparison.Ordinal);
        Assert.Contains("| web | 80mbit | packages | 1.53 ✗ | 0.41 ✓ (casync) | 0.65 ✗ | 1.18 ✗ | 0.65 ✓ | teleport (1 of 2 runs): packages cover most files |", md, StringComparison.Ordinal);
        Assert.Contains("| web | none | similar | 1.08 ✓ | – | 0.45 (not judged) | – | 0.45 ✓ | – |", md, StringComparison.Ordinal);
        Assert.Contains("Goals met: 9 of 12 judged.", md, StringComparison.Ordinal);

        Assert.Contains("| scenario | method | n | describe | fetch_description | plan | extract_packages | transfer | copy | rebuild | verify | total s |", md, StringComparison.Ordinal);
        Assert.Contains("| similar | vmteleport | 3 | 7.0 | 1.0 | 1.0 | – | 5.0 | – | 6.0 | 1.0 | 21.0 | 11.0 | 21.0 | 310.0 | 340.0 |", md, StringComparison.Ordinal);

        foreach (var chart in new[] { "wire-web-80mbit", "seconds-web-80mbit", "phases-web-80mbit" })
        {
            Assert.Contains($"](charts/{chart}.png)", md, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_page_shows_the_same_tables_and_the_svg_charts_with_nothing_external()
    {
        var html = File.ReadAllText(written.Output.Html);
        var md = File.ReadAllText(written.Output.Markdown);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        // Main ×2, goals, phases ×2: every table of report.md is on the page.
        Assert.Equal(5, CountOf(md, "\n| --- |"));
        Assert.Equal(5, CountOf(html, "<table>"));
        Assert.Contains("<td class=\"r\">13.0 (12.0–14.0) MB / 21.0 (20.0–30.0) s, n=3</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"r\">1.53 ✗</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>teleport (1 of 2 runs): packages cover most files</td>", html, StringComparison.Ordinal);
        Assert.Equal(5, CountOf(html, "<svg "));
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        // Every clip path id is prefixed with its chart's name, so charts do not clip each other.
        Assert.Contains("id=\"wire-web-80mbit-", html, StringComparison.Ordinal);
        Assert.Contains("url(#wire-web-80mbit-", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_summary_holds_the_goals_rows_for_scripts()
    {
        using var json = JsonDocument.Parse(ReportJson.Serialize(written.Output));
        var goals = json.RootElement.GetProperty("goals");

        Assert.Equal(3, goals.GetArrayLength());
        var packages = goals[1];
        Assert.Equal("packages", packages.GetProperty("scenario").GetString());
        Assert.Equal(71.0 / 60, packages.GetProperty("time_to_best_forced").GetProperty("value").GetDouble(), 9);
        Assert.False(packages.GetProperty("time_to_best_forced").GetProperty("met").GetBoolean());
        Assert.Equal(1.10, packages.GetProperty("time_to_best_forced").GetProperty("goal").GetDouble());
        Assert.Equal("casync", packages.GetProperty("best_anchor").GetString());
        Assert.Equal("teleport", packages.GetProperty("decision").GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Null, goals[2].GetProperty("time_to_rsync").GetProperty("met").ValueKind);
        Assert.Equal((9, 12), (json.RootElement.GetProperty("goals_met").GetInt32(), json.RootElement.GetProperty("goals_judged").GetInt32()));
    }

    [Fact]
    public void Without_an_output_directory_it_writes_beside_the_results_and_the_title_names_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("vmt-report-default-").FullName;
        try
        {
            var results = Path.Combine(dir, "bench.jsonl");
            File.WriteAllText(results, """{"source":"db","scenario":"any","rate":"none","method":"rsync","seconds":3,"wire_bytes":1000000}""" + "\n");

            var output = BenchmarkReport.Write(results, outputDirectory: null, title: null);

            Assert.Equal(Path.Combine(dir, "report.md"), output.Markdown);
            Assert.StartsWith("# VM Teleport benchmark: bench.jsonl\n", File.ReadAllText(output.Markdown), StringComparison.Ordinal);
            Assert.Contains("| any | 1.0 MB / 3.0 s, n=1 |", File.ReadAllText(output.Markdown), StringComparison.Ordinal);
            Assert.Empty(output.Goals);
            Assert.DoesNotContain(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories), f => f.Contains(".tmp-", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_bad_line_writes_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("vmt-report-bad-").FullName;
        try
        {
            var results = Path.Combine(dir, "bad.jsonl");
            File.WriteAllText(results, """{"source":"db","scenario":"any","method":"rsync"}""" + "\n{oops\n");

            var e = Assert.Throws<InvalidDataException>(() => BenchmarkReport.Write(results, null, null));

            Assert.StartsWith($"{results}:2: ", e.Message, StringComparison.Ordinal);
            Assert.Equal(["bad.jsonl"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public sealed class Written : IDisposable
    {
        public Written()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("vmt-report-").FullName;
            Output = BenchmarkReport.Write(TestData.ResultsPath, Directory, "Test run");
        }

        public string Directory { get; }

        public ReportOutput Output { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, true);
    }
}
