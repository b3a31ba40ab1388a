using ScottPlot;

namespace VmTeleport.Reporting.Charts;

/// <summary>Bars made of segments stacked bottom up (seconds per phase), one legend entry per segment name.</summary>
internal static class StackedBarChart
{
    private const double GroupGap = 0.6;

    public static Plot Create(string title, string yLabel, IReadOnlyList<StackedBar> stacks, IReadOnlyList<string> segmentNames, Func<string, Color> color)
    {
        var plot = ChartStyle.NewPlot(title, "scenario", yLabel);
        var bars = new List<Bar>();
        var positions = new List<double>();
        for (int i = 0; i < stacks.Count; i++)
        {
            var position = i == 0 ? 0 : positions[^1] + (stacks[i].Group == stacks[i - 1].Group ? 1 : 1 + GroupGap);
            positions.Add(position);
            double bottom = 0;
            foreach (var (name, value) in stacks[i].Segments)
            {
                if (value <= 0)
                {
                    continue;
                }

                bars.Add(new Bar { Position = position, Size = 0.6, ValueBase = bottom, Value = bottom + value, FillColor = color(name), LineWidth = 0 });
                bottom += value;
            }
        }

        plot.Add.Bars(bars);
        ChartStyle.CategoryTicks(plot, positions, [.. stacks.Select(s => s.Label)]);
        plot.Axes.SetLimitsX(-0.5, (positions.Count == 0 ? 0 : positions[^1]) + 0.5);
        var top = stacks.Select(s => s.Segments.Where(p => p.Value > 0).Sum(p => p.Value)).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, top > 0 ? top * 1.08 : 1);
        ChartStyle.Legend(plot, segmentNames.Select(n => (n, color(n))));
        return plot;
    }
}
