using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Tests;

public sealed class ResultGroupingTests
{
    private readonly IReadOnlyList<ResultGroup> _groups = ResultGrouping.Group(TestData.Results());

    [Fact]
    public void Groups_are_source_and_rate_and_scenarios_keep_file_order_without_any()
    {
        Assert.Equal([("web", "80mbit"), ("web", "none")], _groups.Select(g => (g.Source, g.Rate)));
        Assert.Equal(["similar", "packages"], _groups[0].Scenarios);
        Assert.Equal(["similar"], _groups[1].Scenarios);
        Assert.Equal(
            ["rsync", "rsync-sparse-raw", "zstd-patch", "casync", "vmteleport-copy", "vmteleport-teleport", "vmteleport"],
            _groups[0].Methods);
    }

    [Fact]
    public void Runs_of_scenario_any_are_shown_in_every_scenario_of_their_source_and_rate()
    {
        var web = _groups[0];
        foreach (var scenario in new[] { "similar", "packages" })
        {
            var rsync = web.Cell(scenario, "rsync")!;
            Assert.True(rsync.FromAnyScenario);
            // 500, 520, 510 MB and 100, 120, 110 s.
            Assert.Equal(new Statistic(510e6, 500e6, 520e6, 3), rsync.WireBytes);
            Assert.Equal(new Statistic(110, 100, 120, 3), rsync.Seconds);
        }

        Assert.Equal(["rsync", "rsync-sparse-raw"], web.MethodsOfAnyScenario);
        // The unshaped group has its own rsync runs (10 s and 12 s), not the 80mbit ones.
        Assert.Equal(new Statistic(11, 10, 12, 2), _groups[1].Cell("similar", "rsync")!.Seconds);
    }

    [Fact]
    public void A_cell_has_medians_phases_and_both_ends_and_is_flawed_when_a_run_failed_or_was_not_exact()
    {
        var similar = _groups[0].Cell("similar", "vmteleport")!;
        Assert.Equal(new Statistic(13e6, 12e6, 14e6, 3), similar.WireBytes);
        Assert.Equal(new Statistic(21, 20, 30, 3), similar.Seconds);
        Assert.Equal(new Statistic(5, 4, 6, 3), similar.Phases["transfer"]);
        Assert.Equal(11, similar.CpuSourceSeconds!.Median);
        Assert.Equal(340e6, similar.PeakRssDestinationBytes!.Median);
        Assert.False(similar.Flawed);

        Assert.True(_groups[0].Cell("packages", "vmteleport")!.Flawed);      // one run not exact
        Assert.True(_groups[0].Cell("packages", "vmteleport-copy")!.Flawed); // exit 1
        Assert.Null(_groups[1].Cell("similar", "casync"));
    }
}
