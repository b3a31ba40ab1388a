namespace VmTeleport.Reporting.Charts;

/// <summary>
/// One method's bars in a grouped bar chart: a value per category (scenario), null where the
/// method has none; a flawed value (failed or not exact) is drawn hatched.
/// </summary>
internal sealed record BarSeries(string Name, ScottPlot.Color Color, IReadOnlyList<(double Value, bool Flawed)?> Values);
