namespace VmTeleport.Reporting.Document;

/// <summary>
/// A table of text cells. <see cref="Alignment"/> has one letter per column, 'l' or 'r' (numbers
/// read best right-aligned); columns past its end are left-aligned.
/// </summary>
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string Alignment = "l") : ReportBlock
{
    public bool RightAligned(int column) => column < Alignment.Length && Alignment[column] == 'r';
}
