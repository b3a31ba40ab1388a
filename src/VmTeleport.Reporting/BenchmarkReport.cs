using VmTeleport.Reporting.Charts;
using VmTeleport.Reporting.Document;
using VmTeleport.Reporting.Results;
using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting;

/// <summary>
/// `vmteleport report`: a benchmark's results file (docs/report.md) in, DIR/report.md,
/// DIR/report.html and DIR/charts/NAME.svg and .png out. Every file is written atomically.
/// </summary>
public static class BenchmarkReport
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";

    /// <param name="resultsPath">The JSON Lines file.</param>
    /// <param name="outputDirectory">Where to write; null: the results file's directory.</param>
    /// <param name="title">The report's title; null: named after the results file.</param>
    public static ReportOutput Write(string resultsPath, string? outputDirectory, string? title)
    {
        var results = ResultsReader.Read(resultsPath);
        var directory = outputDirectory ?? Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        var groups = ResultGrouping.Group(results);
        var goals = GoalEvaluation.Evaluate(results, groups);
        var charts = ReportCharts.Render(groups);
        var document = ReportComposer.Compose(title ?? $"VM Teleport benchmark: {Path.GetFileName(resultsPath)}", results, groups, goals, charts);

        var chartDirectory = Path.Combine(directory, MarkdownWriter.ChartDirectory);
        Directory.CreateDirectory(chartDirectory);
        var chartPaths = new List<string>();
        foreach (var chart in charts.SelectMany(c => c.All))
        {
            var svg = Path.Combine(chartDirectory, chart.Name + ".svg");
            var png = Path.Combine(chartDirectory, chart.Name + ".png");
            AtomicFile.Write(svg, chart.Svg);
            AtomicFile.Write(png, chart.Png);
            chartPaths.Add(svg);
            chartPaths.Add(png);
        }

        var markdown = Path.Combine(directory, MarkdownFile);
        var html = Path.Combine(directory, HtmlFile);
        AtomicFile.Write(markdown, MarkdownWriter.Write(document));
        AtomicFile.Write(html, HtmlWriter.Write(document));
        return new ReportOutput(resultsPath, markdown, html, chartPaths, goals);
    }
}
