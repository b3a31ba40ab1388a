using System.Text;
using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Charts;

/// <summary>
/// The report's figures for each source and rate: (a) bytes on the wire per method per scenario,
/// (b) seconds end to end per method per scenario, (c) VM Teleport's seconds per phase stacked.
/// Every value is a median over runs.
/// </summary>
public static class ReportCharts
{
    public static IReadOnlyList<GroupCharts> Render(IReadOnlyList<ResultGroup> groups)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return groups.Select(g => new GroupCharts(
            Wire(g, UniqueName(names, "wire", g)),
            Seconds(g, UniqueName(names, "seconds", g)),
            Phases(g, UniqueName(names, "phases", g)))).ToList();
    }

    /// <summary>A file name for the group's chart: KIND-SOURCE-RATE, reduced to [a-z0-9._-].</summary>
    public static string Name(string kind, ResultGroup group) => $"{kind}-{Slug(group.Source)}-{Slug(group.Rate)}";

    private static RenderedChart? Wire(ResultGroup group, string name)
    {
        var series = Series(group, c => c.WireBytes?.Median / 1e6);
        if (series.Count == 0)
        {
            return null;
        }

        var title = $"Bytes on the wire: {group.Source}, {LinkRate.Describe(group.Rate)}";
        var plot = Charts.GroupedBarChart.Create(title, "MB on the wire (median)", group.Scenarios, series, allowLog: true);
        return ChartStyle.Render(name, title, plot, ChartStyle.WidthFor(series.Count * group.Scenarios.Count, group.Scenarios.Count));
    }

    private static RenderedChart? Seconds(ResultGroup group, string name)
    {
        var series = Series(group, c => c.Seconds?.Median);
        if (series.Count == 0)
        {
            return null;
        }

        var title = $"Seconds end to end: {group.Source}, {LinkRate.Describe(group.Rate)}";
        var plot = Charts.GroupedBarChart.Create(title, "seconds end to end (median)", group.Scenarios, series, allowLog: false);
        return ChartStyle.Render(name, title, plot, ChartStyle.WidthFor(series.Count * group.Scenarios.Count, group.Scenarios.Count));
    }

    private static RenderedChart? Phases(ResultGroup group, string name)
    {
        var methods = group.Methods.Where(MethodOrder.IsVmTeleport).ToList();
        var cells = group.Scenarios
            .SelectMany(s => methods.Select(m => (Scenario: s, Method: m, Cell: group.Cell(s, m))))
            .Where(x => x.Cell is { Phases.Count: > 0 })
            .ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var phaseNames = PhaseOrder.Sort(cells.SelectMany(x => x.Cell!.PhaseNames))
            .Where(p => cells.Any(x => x.Cell!.Phases.TryGetValue(p, out var s) && s.Median > 0))
            .ToList();
        var severalMethods = cells.Select(x => x.Method).Distinct().Count() > 1;
        var stacks = cells.Select(x => new StackedBar(
            severalMethods ? $"{x.Scenario}\n{ShortMethod(x.Method)}" : x.Scenario,
            x.Scenario,
            [.. phaseNames.Where(x.Cell!.Phases.ContainsKey).Select(p => new KeyValuePair<string, double>(p, x.Cell!.Phases[p].Median))])).ToList();

        var title = $"Seconds per phase (VM Teleport): {group.Source}, {LinkRate.Describe(group.Rate)}";
        var plot = StackedBarChart.Create(title, "seconds (median per phase)", stacks, phaseNames, p => ChartPalette.Phase(p, phaseNames));
        return ChartStyle.Render(name, title, plot, ChartStyle.WidthFor(stacks.Count * 3, group.Scenarios.Count));
    }

    private static List<BarSeries> Series(ResultGroup group, Func<MethodCell, double?> value)
    {
        var series = new List<BarSeries>();
        foreach (var method in group.Methods)
        {
            var values = group.Scenarios.Select(s => group.Cell(s, method) is MethodCell c && value(c) is double v ? ((double, bool)?)(v, c.Flawed) : null).ToList();
            if (values.Any(v => v is not null))
            {
                series.Add(new BarSeries(method, ChartPalette.Method(method, group.Methods), values));
            }
        }

        return series;
    }

    /// <summary>"auto", "teleport", "copy": the mode of a VM Teleport method, short enough for a tick label.</summary>
    private static string ShortMethod(string method) =>
        method == MethodOrder.Auto ? "auto" : method.StartsWith(MethodOrder.Auto + "-", StringComparison.Ordinal) ? method[(MethodOrder.Auto.Length + 1)..] : method;

    private static string UniqueName(HashSet<string> taken, string kind, ResultGroup group)
    {
        var name = Name(kind, group);
        var unique = name;
        for (int i = 2; !taken.Add(unique); i++)
        {
            unique = $"{name}-{i}";
        }

        return unique;
    }

    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            slug.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' ? c : '-');
        }

        return slug.Length == 0 ? "_" : slug.ToString();
    }
}
