namespace VmTeleport.Reporting.Document;

/// <summary>A list of "key: value" items (the results file's meta line).</summary>
public sealed record KeyValueList(IReadOnlyList<KeyValuePair<string, string>> Items) : ReportBlock;
