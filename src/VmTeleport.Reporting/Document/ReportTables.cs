using System.Globalization;
using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Document;

/// <summary>The report's three tables: wire and time per scenario and method, the goals, VM Teleport's phases.</summary>
public static class ReportTables
{
    /// <summary>Rows are scenarios, columns methods; each cell "MB / s, n" with ✗ when a run failed or was not exact.</summary>
    public static ReportTable Main(ResultGroup group)
    {
        var rows = group.Scenarios
            .Select(s => (IReadOnlyList<string>)[s, .. group.Methods.Select(m => MainCell(group.Cell(s, m)))])
            .ToList();
        return new ReportTable(["scenario", .. group.Methods], rows, "l" + new string('r', group.Methods.Count));
    }

    public static string MainCell(MethodCell? cell)
    {
        if (cell is null)
        {
            return ReportFormat.Missing;
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"{ReportFormat.Median(cell.WireBytes, bytes: true)} MB / {ReportFormat.Median(cell.Seconds, bytes: false)} s, n={cell.Runs.Count}");
        return cell.Flawed ? $"{text} {ReportFormat.NotMet}" : text;
    }

    public static ReportTable Goals(IReadOnlyList<GoalRow> goals)
    {
        var rows = goals.Select(g => (IReadOnlyList<string>)
        [
            g.Source,
            g.Rate,
            g.Scenario,
            ReportFormat.Ratio(g.WireToLowerBound),
            g.BestAnchor is null ? ReportFormat.Ratio(g.WireToBestAnchor) : $"{ReportFormat.Ratio(g.WireToBestAnchor)} ({g.BestAnchor})",
            ReportFormat.Ratio(g.TimeToRsync),
            ReportFormat.Ratio(g.TimeToBestForced),
            ReportFormat.Ratio(g.AutoTimeToRsync),
            Decision(g.Decision),
        ]).ToList();
        return new ReportTable(
        [
            "source", "rate", "scenario",
            $"wire ÷ lower bound ({ReportFormat.Goal(GoalRow.WireToLowerBoundGoal)})",
            $"wire ÷ best anchor ({ReportFormat.Goal(GoalRow.WireToBestAnchorGoal)})",
            $"time ÷ rsync ({ReportFormat.Goal(GoalRow.TimeToRsyncGoal)} at 10 MB/s)",
            $"time ÷ best forced ({ReportFormat.Goal(GoalRow.TimeToBestForcedGoal)})",
            $"time ÷ rsync ({ReportFormat.Goal(GoalRow.AutoTimeToRsyncGoal)})",
            "decision",
        ], rows, "lllrrrrrl");
    }

    /// <summary>One row per scenario and VM Teleport method; null when the group has no VM Teleport run.</summary>
    public static ReportTable? Phases(ResultGroup group)
    {
        var cells = group.Scenarios
            .SelectMany(s => group.Methods.Where(MethodOrder.IsVmTeleport).Select(m => (Scenario: s, Cell: group.Cell(s, m))))
            .Where(x => x.Cell is not null)
            .Select(x => (x.Scenario, Cell: x.Cell!))
            .ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var phases = PhaseOrder.Sort(cells.SelectMany(x => x.Cell.PhaseNames));
        var rows = cells.Select(x => (IReadOnlyList<string>)
        [
            x.Scenario,
            x.Cell.Method,
            x.Cell.Runs.Count.ToString(CultureInfo.InvariantCulture),
            .. phases.Select(p => ReportFormat.MedianOnly(x.Cell.Phases.GetValueOrDefault(p), bytes: false)),
            ReportFormat.MedianOnly(x.Cell.Seconds, bytes: false),
            ReportFormat.MedianOnly(x.Cell.CpuSourceSeconds, bytes: false),
            ReportFormat.MedianOnly(x.Cell.CpuDestinationSeconds, bytes: false),
            ReportFormat.MedianOnly(x.Cell.PeakRssSourceBytes, bytes: true),
            ReportFormat.MedianOnly(x.Cell.PeakRssDestinationBytes, bytes: true),
        ]).ToList();
        return new ReportTable(
            ["scenario", "method", "n", .. phases, "total s", "CPU s source", "CPU s destination", "peak RSS MB source", "peak RSS MB destination"],
            rows,
            "llr" + new string('r', phases.Count + 5));
    }

    private static string Decision(DecisionSummary? decision)
    {
        if (decision is null)
        {
            return ReportFormat.Missing;
        }

        var method = decision.Agreeing == decision.Runs
            ? decision.Method
            : string.Create(CultureInfo.InvariantCulture, $"{decision.Method} ({decision.Agreeing} of {decision.Runs} runs)");
        return decision.Reason is { Length: > 0 } reason ? $"{method}: {reason}" : method;
    }
}
