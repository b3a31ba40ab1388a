namespace VmTeleport.Reporting.Document;

public sealed record Paragraph(string Text) : ReportBlock;
