namespace VmTeleport.Reporting.Document;

/// <summary>A section heading; level 1 is the report's title.</summary>
public sealed record Heading(int Level, string Text) : ReportBlock;
