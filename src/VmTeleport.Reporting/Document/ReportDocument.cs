namespace VmTeleport.Reporting.Document;

/// <summary>The whole report as blocks, before it becomes report.md and report.html.</summary>
public sealed record ReportDocument(string Title, IReadOnlyList<ReportBlock> Blocks);
