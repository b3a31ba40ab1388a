using System.Text;

namespace VmTeleport.Reporting.Document;

/// <summary>Renders a <see cref="ReportDocument"/> as GitHub-flavoured Markdown; charts link to charts/NAME.png.</summary>
public static class MarkdownWriter
{
    public const string ChartDirectory = "charts";

    public static string Write(ReportDocument document)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(Inline(document.Title)).Append("\n\n");
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    md.Append('#', Math.Clamp(h.Level, 1, 6)).Append(' ').Append(Inline(h.Text)).Append("\n\n");
                    break;
                case Paragraph p:
                    md.Append(Inline(p.Text)).Append("\n\n");
                    break;
                case KeyValueList list:
                    foreach (var (key, value) in list.Items)
                    {
                        md.Append("- **").Append(Inline(key)).Append("**: ").Append(Inline(value)).Append('\n');
                    }

                    md.Append('\n');
                    break;
                case ReportTable table:
                    Table(md, table);
                    break;
                case ChartBlock chart:
                    md.Append("![").Append(Inline(chart.Chart.Caption)).Append("](")
                        .Append(ChartDirectory).Append('/').Append(chart.Chart.Name).Append(".png)\n\n");
                    break;
                default:
                    throw new NotSupportedException($"no Markdown for {block.GetType().Name}");
            }
        }

        return md.ToString();
    }

    private static void Table(StringBuilder md, ReportTable table)
    {
        md.Append("| ").AppendJoin(" | ", table.Header.Select(Cell)).Append(" |\n|");
        for (int c = 0; c < table.Header.Count; c++)
        {
            md.Append(table.RightAligned(c) ? " ---: |" : " --- |");
        }

        md.Append('\n');
        foreach (var row in table.Rows)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        }

        md.Append('\n');
    }

    // A cell is one line, and a pipe would end it early.
    private static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);

    // Names come from benchmark scripts: keep them from turning into markup or breaking lines.
    private static string Inline(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\n' or '\r')
            {
                escaped.Append(' ');
                continue;
            }

            if (c is '\\' or '*' or '`' or '[' or ']' or '<' or '>')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
