using System.Xml.Linq;
using VmTeleport.Reporting.Document;

namespace VmTeleport.Reporting.Tests;

public sealed class InlineSvgTests
{
    [Fact]
    public void Ids_and_their_references_get_the_prefix_and_the_svg_scales()
    {
        const string svg = """
            <?xml version="1.0" encoding="utf-8" ?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="800" height="500">
              <clipPath id="cl_4"><rect x="1" y="1" width="10" height="10"/></clipPath>
              <g clip-path="url(#cl_4)"><use xlink:href="#cl_4"/><text>similar</text></g>
            </svg>
            """;

        var inline = InlineSvg.Prepare(svg, "wire-");

        Assert.DoesNotContain("<?xml", inline, StringComparison.Ordinal);
        var root = XElement.Parse(inline);
        Assert.Equal("0 0 800 500", root.Attribute("viewBox")?.Value);
        Assert.Equal("wire-cl_4", root.Descendants().Single(e => e.Name.LocalName == "clipPath").Attribute("id")?.Value);
        Assert.Equal("url(#wire-cl_4)", root.Descendants().Single(e => e.Name.LocalName == "g").Attribute("clip-path")?.Value);
        Assert.Equal("#wire-cl_4", root.Descendants().Single(e => e.Name.LocalName == "use").Attributes().Single().Value);
    }
}
