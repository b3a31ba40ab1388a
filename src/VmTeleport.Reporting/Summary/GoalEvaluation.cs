using VmTeleport.Reporting.Results;

namespace VmTeleport.Reporting.Summary;

/// <summary>
/// Computes the goals table: one <see cref="GoalRow"/> per scenario of each group in which
/// `vmteleport` (automatic) ran. All ratios divide medians.
/// </summary>
public static class GoalEvaluation
{
    public static IReadOnlyList<GoalRow> Evaluate(BenchmarkResults results, IReadOnlyList<ResultGroup> groups)
    {
        var rows = new List<GoalRow>();
        foreach (var group in groups)
        {
            foreach (var scenario in group.Scenarios)
            {
                if (group.Cell(scenario, MethodOrder.Auto) is MethodCell auto)
                {
                    rows.Add(Evaluate(results, group, scenario, auto));
                }
            }
        }

        return rows;
    }

    private static GoalRow Evaluate(BenchmarkResults results, ResultGroup group, string scenario, MethodCell auto)
    {
        double? Seconds(string method) => group.Cell(scenario, method)?.Seconds?.Median;

        // The lower bound is a property of the source and the destination's content, not of the
        // method or the link: every run of this source and scenario that reports it counts.
        var lowerBound = Statistic.Of(results.Runs
            .Where(r => r.Source == group.Source && r.Scenario == scenario)
            .Select(r => r.LowerBoundBytes))?.Median;

        var anchor = MethodOrder.Anchors
            .Select(m => (Method: m, Wire: group.Cell(scenario, m)?.WireBytes?.Median))
            .Where(a => a.Wire is not null)
            .OrderBy(a => a.Wire)
            .FirstOrDefault();

        var forcedTeleport = Seconds(MethodOrder.ForcedTeleport);
        var forcedCopy = Seconds(MethodOrder.ForcedCopy);
        double? bestForced = forcedTeleport is double t && forcedCopy is double c ? Math.Min(t, c) : null;
        var rsync = Seconds(MethodOrder.Rsync);
        var wire = auto.WireBytes?.Median;
        var seconds = auto.Seconds?.Median;

        return new GoalRow(
            group.Source,
            group.Rate,
            scenario,
            new GoalRatio(wire, lowerBound, GoalRow.WireToLowerBoundGoal),
            new GoalRatio(wire, anchor.Wire, GoalRow.WireToBestAnchorGoal),
            anchor.Method,
            new GoalRatio(seconds, rsync, GoalRow.TimeToRsyncGoal, Judged: LinkRate.IsTenMegabytesPerSecond(group.Rate)),
            new GoalRatio(seconds, bestForced, GoalRow.TimeToBestForcedGoal),
            new GoalRatio(seconds, rsync, GoalRow.AutoTimeToRsyncGoal),
            Decide(auto.Runs));
    }

    private static DecisionSummary? Decide(IReadOnlyList<BenchmarkRun> runs)
    {
        var decided = runs.Where(r => r.Decision?.Method is not null).ToList();
        if (decided.Count == 0)
        {
            return null;
        }

        var chosen = decided
            .GroupBy(r => r.Decision!.Method!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => decided.IndexOf(g.First()))
            .First();
        var first = chosen.First().Decision!;
        return new DecisionSummary(chosen.Key, first.Reason, chosen.Count(), decided.Count, first.BandwidthBytesPerSecond);
    }
}
