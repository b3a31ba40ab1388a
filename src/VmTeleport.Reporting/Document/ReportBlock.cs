namespace VmTeleport.Reporting.Document;

/// <summary>
/// One block of the report, rendered alike to Markdown and HTML so that both show the same
/// tables. Text is plain: each renderer escapes it for its format.
/// </summary>
public abstract record ReportBlock;
