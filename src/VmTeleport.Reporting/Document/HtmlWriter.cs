using System.Net;
using System.Text;

namespace VmTeleport.Reporting.Document;

/// <summary>
/// Renders a <see cref="ReportDocument"/> as one self-contained HTML page: the same tables as
/// report.md, the charts as inline SVG, the style in the page; nothing is loaded from elsewhere.
/// </summary>
public static class HtmlWriter
{
    private const string Style = """
        body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
        .table { overflow-x: auto; margin: 0.5em 0 1.5em; }
        table { border-collapse: collapse; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; vertical-align: top; }
        th { background: #f3f3f3; }
        td.r, th.r { text-align: right; }
        figure { margin: 1em 0 2em; }
        figcaption { color: #555; font-size: 0.9em; }
        """;

    public static string Write(ReportDocument document)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Text(document.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<h1>")
            .Append(Text(document.Title)).Append("</h1>\n");
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    var level = Math.Clamp(h.Level, 1, 6);
                    html.Append("<h").Append(level).Append('>').Append(Text(h.Text)).Append("</h").Append(level).Append(">\n");
                    break;
                case Paragraph p:
                    html.Append("<p>").Append(Text(p.Text)).Append("</p>\n");
                    break;
                case KeyValueList list:
                    html.Append("<ul>\n");
                    foreach (var (key, value) in list.Items)
                    {
                        html.Append("<li><b>").Append(Text(key)).Append("</b>: ").Append(Text(value)).Append("</li>\n");
                    }

                    html.Append("</ul>\n");
                    break;
                case ReportTable table:
                    Table(html, table);
                    break;
                case ChartBlock chart:
                    html.Append("<figure id=\"").Append(Text(chart.Chart.Name)).Append("\">\n")
                        .Append(InlineSvg.Prepare(chart.Chart.Svg, chart.Chart.Name + "-"))
                        .Append("\n<figcaption>").Append(Text(chart.Chart.Caption)).Append("</figcaption>\n</figure>\n");
                    break;
                default:
                    throw new NotSupportedException($"no HTML for {block.GetType().Name}");
            }
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<div class=\"table\"><table>\n<thead><tr>");
        for (int c = 0; c < table.Header.Count; c++)
        {
            html.Append(table.RightAligned(c) ? "<th class=\"r\">" : "<th>").Append(Text(table.Header[c])).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Count; c++)
            {
                html.Append(table.RightAligned(c) ? "<td class=\"r\">" : "<td>").Append(Text(row[c])).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n");
    }

    private static string Text(string text) => WebUtility.HtmlEncode(text);
}
