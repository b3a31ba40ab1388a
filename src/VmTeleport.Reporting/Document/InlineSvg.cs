using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace VmTeleport.Reporting.Document;

/// <summary>
/// Makes a chart's SVG fit inside an HTML page beside others: no XML declaration, a viewBox so it
/// scales with the page, and its ids (ScottPlot's clip paths) prefixed so two charts' ids never
/// collide in one document.
/// </summary>
public static partial class InlineSvg
{
    public static string Prepare(string svg, string idPrefix)
    {
        var document = XDocument.Parse(svg);
        var root = document.Root ?? throw new InvalidDataException("chart SVG has no root element");
        if (root.Attribute("viewBox") is null && root.Attribute("width")?.Value is string w && root.Attribute("height")?.Value is string h)
        {
            root.SetAttributeValue("viewBox", $"0 0 {w} {h}");
        }

        root.SetAttributeValue("style", "max-width:100%;height:auto");
        root.SetAttributeValue("role", "img");
        foreach (var attribute in root.DescendantsAndSelf().Attributes().ToList())
        {
            if (attribute.Name.LocalName == "id")
            {
                attribute.Value = idPrefix + attribute.Value;
            }
            else if (attribute.Value.Contains("url(#", StringComparison.Ordinal))
            {
                attribute.Value = UrlReference().Replace(attribute.Value, m => $"url(#{idPrefix}{m.Groups[1].Value})");
            }
            else if (attribute.Name.LocalName == "href" && attribute.Value.StartsWith('#'))
            {
                attribute.Value = "#" + idPrefix + attribute.Value[1..];
            }
        }

        return root.ToString(SaveOptions.DisableFormatting);
    }

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();
}
