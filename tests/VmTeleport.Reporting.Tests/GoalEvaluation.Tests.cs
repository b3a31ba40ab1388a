using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Tests;

public sealed class GoalEvaluationTests
{
    private readonly IReadOnlyList<GoalRow> _rows;

    public GoalEvaluationTests()
    {
        var results = TestData.Results();
        _rows = GoalEvaluation.Evaluate(results, ResultGrouping.Group(results));
    }

    [Fact]
    public void There_is_one_row_per_scenario_where_vmteleport_ran()
    {
        Assert.Equal([("80mbit", "similar"), ("80mbit", "packages"), ("none", "similar")], _rows.Select(r => (r.Rate, r.Scenario)));
    }

    [Fact]
    public void A_scenario_that_meets_every_goal()
    {
        var row = _rows[0];
        Ratio(13.0 / 12, true, row.WireToLowerBound);   // 13 MB median against the 12 MB bound
        Ratio(13.0 / 30, true, row.WireToBestAnchor);   // casync 30 MB beats zstd-patch 40 MB
        Assert.Equal("casync", row.BestAnchor);
        Ratio(21.0 / 110, true, row.TimeToRsync);       // 21 s against rsync's 110 s at 10 MB/s
        Ratio(21.0 / 20, true, row.TimeToBestForced);   // forced teleport 20 s, forced copy 100 s
        Ratio(21.0 / 110, true, row.AutoTimeToRsync);
        Assert.Equal(new DecisionSummary("teleport", "a similar image is local", 3, 3, 9.8e6), row.Decision);
    }

    [Fact]
    public void A_scenario_that_misses_goals()
    {
        var row = _rows[1];
        Ratio(61.0 / 40, false, row.WireToLowerBound);
        Ratio(61.0 / 150, true, row.WireToBestAnchor);
        Ratio(71.0 / 110, false, row.TimeToRsync);
        Ratio(71.0 / 60, false, row.TimeToBestForced);
        Ratio(71.0 / 110, true, row.AutoTimeToRsync);
        // The runs disagree 1:1; the first decision in the file wins the tie.
        Assert.Equal(new DecisionSummary("teleport", "packages cover most files", 1, 2, null), row.Decision);
    }

    [Fact]
    public void The_time_goal_is_judged_at_10_MB_per_second_only_and_missing_methods_give_no_ratio()
    {
        var row = _rows[2];
        Ratio(13.0 / 12, true, row.WireToLowerBound);   // the bound comes from the 80mbit runs of the same scenario
        Assert.Equal(5.0 / 11, row.TimeToRsync.Value!.Value, 9);
        Assert.False(row.TimeToRsync.Judged);
        Assert.Null(row.TimeToRsync.Met);
        Assert.Null(row.WireToBestAnchor.Value);
        Assert.Null(row.BestAnchor);
        Assert.Null(row.TimeToBestForced.Value);
        Assert.Null(row.TimeToBestForced.Met);
        Ratio(5.0 / 11, true, row.AutoTimeToRsync);
        Assert.Null(row.Decision);
    }

    [Fact]
    public void A_ratio_equal_to_its_goal_meets_it()
    {
        Assert.True(new GoalRatio(11, 10, 1.10).Met);
        Assert.False(new GoalRatio(11.01, 10, 1.10).Met);
        Assert.Null(new GoalRatio(1, 0, 1.10).Value);
    }

    private static void Ratio(double expected, bool met, GoalRatio ratio)
    {
        Assert.Equal(expected, ratio.Value!.Value, 9);
        Assert.Equal(met, ratio.Met);
    }
}
