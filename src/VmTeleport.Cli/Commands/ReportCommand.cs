using System.CommandLine;
using System.Globalization;
using VmTeleport.Reporting;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport report RESULTS.jsonl [--out DIR] [--title T] [--json]`: a benchmark's results
/// (docs/report.md) as DIR/report.md, DIR/report.html and DIR/charts/*.svg and *.png.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("RESULTS")
        {
            Description = "The benchmark's JSON Lines: one object per measured run, optionally after one {\"meta\":{…}} line (docs/report.md).",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Where report.md, report.html and charts/ are written. Default: the results file's directory.",
            HelpName = "DIR",
        };
        var title = new Option<string?>("--title") { Description = "The report's title. Default: named after the results file.", HelpName = "T" };
        var json = new Option<bool>("--json") { Description = "Print the files written and the goals rows as one JSON object." };
        var command = new Command("report", "Turn a benchmark's results into tables, charts (SVG and PNG) and a page: report.md and report.html.")
        {
            results, output, title, json,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var written = BenchmarkReport.Write(r.GetValue(results)!, r.GetValue(output), r.GetValue(title));
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(ReportJson.Serialize(written));
                return ExitCodes.Success;
            }

            Console.Out.WriteLine($"report: {written.Markdown}");
            Console.Out.WriteLine($"page:   {written.Html}");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"charts: {written.Charts.Count} files in {Path.GetDirectoryName(written.Markdown)}/charts"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"goals:  {written.GoalsMet} of {written.GoalsJudged} met in {written.Goals.Count} {(written.Goals.Count == 1 ? "scenario" : "scenarios")}"));
            return ExitCodes.Success;
        }));
        return command;
    }
}
