namespace VmTeleport.Reporting.Document;

/// <summary>A chart, as charts/NAME.png in Markdown and its SVG inline in HTML.</summary>
public sealed record ChartBlock(Charts.RenderedChart Chart) : ReportBlock;
