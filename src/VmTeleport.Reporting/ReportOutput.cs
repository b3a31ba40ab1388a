using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting;

/// <summary>What `report` wrote and computed: the files, and the goals rows that `--json` prints.</summary>
public sealed record ReportOutput(
    string Results,
    string Markdown,
    string Html,
    IReadOnlyList<string> Charts,
    IReadOnlyList<GoalRow> Goals)
{
    public int GoalsJudged => Goals.SelectMany(g => g.Ratios).Count(r => r.Met is not null);

    public int GoalsMet => Goals.SelectMany(g => g.Ratios).Count(r => r.Met == true);
}
