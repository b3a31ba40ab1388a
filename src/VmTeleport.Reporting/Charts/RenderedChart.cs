namespace VmTeleport.Reporting.Charts;

/// <summary>One chart of the report, rendered both ways: SVG for the page, PNG for report.md.</summary>
public sealed record RenderedChart(string Name, string Caption, string Svg, byte[] Png);
