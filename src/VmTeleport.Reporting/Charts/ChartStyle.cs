using ScottPlot;

namespace VmTeleport.Reporting.Charts;

/// <summary>What every chart of the report shares: size, font, legend place, and rendering to SVG and PNG.</summary>
internal static class ChartStyle
{
    public const int Height = 520;

    // DejaVu Sans is on Debian with fonts-dejavu-core; without it Skia falls back to what it finds.
    private const string FontName = "DejaVu Sans";

    /// <summary>Wide enough that every bar and scenario name stays readable.</summary>
    public static int WidthFor(int bars, int categories) => Math.Clamp(260 + (bars * 26) + (categories * 40), 760, 1800);

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }

    /// <summary>Scenario names (or other labels) under their positions, no other X ticks.</summary>
    public static void CategoryTicks(Plot plot, IReadOnlyList<double> positions, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.SetTicks([.. positions], [.. labels]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
    }

    public static void Legend(Plot plot, IEnumerable<(string Label, Color Color)> items)
    {
        foreach (var (label, color) in items)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = color });
        }

        plot.Legend.FontName = FontName;
        plot.ShowLegend(Edge.Right);
    }

    public static RenderedChart Render(string name, string caption, Plot plot, int width) =>
        new(name, caption, plot.GetSvgXml(width, Height), plot.GetImageBytes(width, Height, ImageFormat.Png));
}
