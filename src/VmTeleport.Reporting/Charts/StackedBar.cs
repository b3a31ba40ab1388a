namespace VmTeleport.Reporting.Charts;

/// <summary>One bar of a stacked bar chart: its label on the X axis and its segments bottom up.</summary>
internal sealed record StackedBar(string Label, IReadOnlyList<KeyValuePair<string, double>> Segments);
