using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace VmTeleport.Reporting.Charts;

/// <summary>
/// Bars grouped by category (scenario), one bar per series (method) in each group. When the
/// largest value is more than <see cref="LogScaleSpan"/>× the smallest the Y axis is logarithmic (its title says
/// so): teleporting sends kilobytes where a plain copy sends hundreds of megabytes, and on a
/// linear axis the bars that matter would be invisible.
/// </summary>
internal static class GroupedBarChart
{
    public const double LogScaleSpan = 20;

    private const double GroupWidth = 0.8;

    public static Plot Create(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, bool allowLog)
    {
        var values = series.SelectMany(s => s.Values).OfType<(double Value, bool Flawed)>().Select(v => v.Value).Where(v => v > 0).ToList();
        var log = allowLog && values.Count > 0 && values.Max() / values.Min() > LogScaleSpan;
        var plot = ChartStyle.NewPlot(log ? title + " (log scale)" : title, "scenario", yLabel);
        var floor = log ? Math.Floor(Math.Log10(values.Min())) : 0;

        var bars = new List<Bar>();
        var width = GroupWidth / Math.Max(1, series.Count);
        for (int s = 0; s < series.Count; s++)
        {
            for (int c = 0; c < categories.Count; c++)
            {
                if (series[s].Values[c] is not (double value, bool flawed) || (log && value <= 0))
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = c + ((s - ((series.Count - 1) / 2.0)) * width),
                    Size = width * 0.95,
                    Value = log ? Math.Log10(value) : value,
                    ValueBase = floor,
                    FillColor = series[s].Color,
                    FillHatch = flawed ? new ScottPlot.Hatches.Striped() : null,
                    FillHatchColor = Colors.Black.WithAlpha(0.5),
                    LineWidth = 0,
                });
            }
        }

        plot.Add.Bars(bars);
        ChartStyle.CategoryTicks(plot, [.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], categories);
        plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        if (log)
        {
            LogAxis(plot, floor, Math.Log10(values.Max()));
        }
        else
        {
            plot.Axes.SetLimitsY(0, values.Count > 0 ? values.Max() * 1.08 : 1);
        }

        ChartStyle.Legend(plot, series.Select(s => (s.Name, s.Color)));
        return plot;
    }

    /// <summary>
    /// Ticks labelled in plain numbers at 1, 2 and 5 of each decade (10, 20, 50, 100, …), a minor
    /// tick at the other integers: with decades alone a reader could not tell 30 from 60.
    /// </summary>
    private static void LogAxis(Plot plot, double floor, double top)
    {
        var ticks = new NumericManual();
        for (var decade = floor; decade <= Math.Ceiling(top); decade++)
        {
            for (int m = 1; m <= 9; m++)
            {
                var position = decade + Math.Log10(m);
                if (m is 1 or 2 or 5)
                {
                    ticks.AddMajor(position, (m * Math.Pow(10, decade)).ToString("0.###", CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(position);
                }
            }
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(floor, Math.Max(floor + 1, top + 0.15));
    }
}
