namespace VmTeleport.Reporting.Charts;

/// <summary>
/// One bar of a stacked bar chart: its label on the X axis, its segments bottom up, and the group
/// (scenario) it belongs to: a gap separates one group's bars from the next.
/// </summary>
internal sealed record StackedBar(string Label, string Group, IReadOnlyList<KeyValuePair<string, double>> Segments);
