using System.Globalization;
using VmTeleport.Reporting.Charts;
using VmTeleport.Reporting.Results;
using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Document;

/// <summary>
/// Lays out the report (docs/report.md, "What the report shows"): the setup from the meta line,
/// per source and rate the main table with its wire and time charts, the goals table, then
/// VM Teleport's phases with their chart.
/// </summary>
public static class ReportComposer
{
    public static ReportDocument Compose(string title, BenchmarkResults results, IReadOnlyList<ResultGroup> groups, IReadOnlyList<GoalRow> goals, IReadOnlyList<GroupCharts> charts)
    {
        var blocks = new List<ReportBlock>
        {
            new Paragraph(string.Create(CultureInfo.InvariantCulture, $"From {Path.GetFileName(results.Path)}: {results.Runs.Count} runs, {MethodOrder.Sort(results.Runs.Select(r => r.Method)).Count} methods.")
                + " Every value is the median over runs; when runs differ their range (min–max) follows in parentheses, and n is the number of runs. MB = 10^6 bytes."),
        };
        if (results.Meta.Count > 0)
        {
            blocks.Add(new Heading(2, "Setup"));
            blocks.Add(new KeyValueList(results.Meta));
        }

        blocks.Add(new Heading(2, "Bytes on the wire and seconds end to end"));
        blocks.Add(new Paragraph($"Each cell: MB on the wire / seconds end to end. {ReportFormat.NotMet}: at least one run failed (exit code other than 0) or did not verify exact; such bars are hatched in the charts."));
        for (int i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            blocks.Add(new Heading(3, GroupTitle(group)));
            blocks.Add(ReportTables.Main(group));
            if (group.MethodsOfAnyScenario is { Count: > 0 } any && group.Scenarios is not [BenchmarkRun.AnyScenario])
            {
                blocks.Add(new Paragraph($"{string.Join(", ", any)} {(any.Count == 1 ? "does" : "do")} not depend on the destination (scenario \"any\"): the same runs are shown in every scenario."));
            }

            blocks.AddRange(new[] { charts[i].Wire, charts[i].Seconds }.OfType<RenderedChart>().Select(c => new ChartBlock(c)));
        }

        blocks.Add(new Heading(2, "Goals"));
        blocks.Add(new Paragraph(
            "VM Teleport in automatic mode (method vmteleport), as ratios of medians: its wire bytes to the lower bound (the compressed source content found nowhere at the destination) " +
            "and to the best anchor's (zstd-patch or casync); its time to rsync's (the goal holds at 10 MB/s in scenarios where the destination has a similar VM, so it is judged at 10 MB/s only); " +
            "its time to the faster of forced teleport and forced copy (the decision); its time to rsync's everywhere."));
        if (goals.Count == 0)
        {
            blocks.Add(new Paragraph("No run of method vmteleport: there are no goals to judge."));
        }
        else
        {
            blocks.Add(ReportTables.Goals(goals));
            var judged = goals.SelectMany(g => g.Ratios).Where(r => r.Met is not null).ToList();
            blocks.Add(new Paragraph(string.Create(CultureInfo.InvariantCulture, $"Goals met: {judged.Count(r => r.Met == true)} of {judged.Count} judged.")));
        }

        var phaseGroups = groups.Select((g, i) => (Group: g, Charts: charts[i])).Where(x => ReportTables.Phases(x.Group) is not null).ToList();
        if (phaseGroups.Count > 0)
        {
            blocks.Add(new Heading(2, "Phases of VM Teleport"));
            blocks.Add(new Paragraph("Median wall seconds per phase, CPU seconds and peak resident memory (MB) at the source and the destination."));
            foreach (var (group, groupCharts) in phaseGroups)
            {
                blocks.Add(new Heading(3, GroupTitle(group)));
                blocks.Add(ReportTables.Phases(group)!);
                if (groupCharts.Phases is RenderedChart chart)
                {
                    blocks.Add(new ChartBlock(chart));
                }
            }
        }

        return new ReportDocument(title, blocks);
    }

    private static string GroupTitle(ResultGroup group) => $"{group.Source}, {LinkRate.Describe(group.Rate)}";
}
