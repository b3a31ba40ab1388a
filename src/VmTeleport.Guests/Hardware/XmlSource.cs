using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// A libvirt XML document loaded defensively, with the helpers that turn its attributes into
/// values and its faults into <see cref="InvalidDataException"/>s naming the source, the
/// element and the line.
/// </summary>
internal sealed class XmlSource
{
    /// <summary>
    /// The largest document read: virsh itself refuses XML files above 10 MiB
    /// (VSH_MAX_XML_FILE), so nothing libvirt wrote is larger.
    /// </summary>
    public const int MaxCharacters = 10 * 1024 * 1024;

    /// <summary>
    /// The deepest nesting read: libxml2, which libvirt parses with, stops at 256 levels unless
    /// told XML_PARSE_HUGE, so libvirt never reads nor writes deeper documents.
    /// </summary>
    public const int MaxDepth = 256;

    private XmlSource(string sourceName, XElement root)
    {
        SourceName = sourceName;
        Root = root;
    }

    public string SourceName { get; }

    public XElement Root { get; }

    /// <summary>
    /// Parses <paramref name="xml"/> with DTDs prohibited (no entity expansion, no external
    /// resolution) and a size cap, and checks that the root element is <paramref name="rootName"/>.
    /// </summary>
    public static XmlSource Load(string xml, string sourceName, string rootName)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (xml.Length > MaxCharacters)
        {
            throw new InvalidDataException(
                $"{sourceName}: the XML is {xml.Length} characters, more than the {MaxCharacters} a libvirt document can have");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };

        // Two passes: the first checks well-formedness and depth with the streaming reader
        // (linear), the second builds the tree, which LINQ to XML does in time quadratic in depth.
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
        {
            try
            {
                while (reader.Read())
                {
                    if (reader.Depth > MaxDepth)
                    {
                        throw new InvalidDataException(
                            $"{sourceName}: line {((IXmlLineInfo)reader).LineNumber}: <{reader.Name}> is nested more than {MaxDepth} elements deep");
                    }
                }
            }
            catch (XmlException e)
            {
                throw NotWellFormed(xml, sourceName, reader, e);
            }
        }

        XDocument document;
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
        {
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }

        var root = document.Root ?? throw new InvalidDataException($"{sourceName}: the XML has no root element");
        if (root.Name.LocalName == rootName && root.Name.Namespace != XNamespace.None)
        {
            throw new InvalidDataException(
                $"{sourceName}: line {LineOf(root)}: <{rootName}> is in namespace '{root.Name.NamespaceName}'; libvirt's {rootName} XML has none");
        }

        if (root.Name != XName.Get(rootName))
        {
            throw new InvalidDataException(
                $"{sourceName}: line {LineOf(root)}: the root element is <{root.Name.LocalName}>, not <{rootName}>: not a libvirt {rootName} description");
        }

        return new XmlSource(sourceName, root);
    }

    private static InvalidDataException NotWellFormed(string xml, string sourceName, XmlReader reader, XmlException e)
    {
        var position = (IXmlLineInfo)reader;
        (int line, int column) = e.LineNumber > 0 ? (e.LineNumber, e.LinePosition) : (position.LineNumber, position.LinePosition);
        string element = reader.NodeType == XmlNodeType.Element && reader.Name.Length > 0 ? $" in <{reader.Name}>" : "";
        int doctype = xml.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (line == 0 && doctype >= 0)
        {
            // The prohibited-DTD fault carries no position: point at the declaration itself.
            line = 1 + xml.AsSpan(0, doctype).Count('\n');
            column = doctype - xml.LastIndexOf('\n', Math.Max(doctype - 1, 0));
            element = " in <!DOCTYPE>";
        }

        return new InvalidDataException($"{sourceName}: line {line}, column {column}{element}: not well-formed XML: {e.Message}", e);
    }

    public InvalidDataException Fail(XElement element, string message) =>
        new($"{SourceName}: line {LineOf(element)}: <{element.Name.LocalName}>: {message}");

    /// <summary>An attribute's value, or null when absent or empty.</summary>
    public static string? Attr(XElement? element, string name)
    {
        string? value = element?.Attribute(name)?.Value;
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>An element's text trimmed, or null when the element is absent or blank.</summary>
    public static string? Text(XElement? element)
    {
        string? value = element?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public int? IntAttr(XElement? element, string name, bool allowNegative = false)
    {
        string? text = Attr(element, name);
        return text is null ? null : ParseInt(element!, text, $"attribute {name}", allowNegative);
    }

    public int? IntText(XElement? element)
    {
        string? text = Text(element);
        return text is null ? null : ParseInt(element!, text, "value", allowNegative: false);
    }

    public ulong? UnsignedText(XElement? element) => ParseUnsigned(element, Text(element), "value");

    public ulong? UnsignedAttr(XElement? element, string name) => ParseUnsigned(element, Attr(element, name), $"attribute {name}");

    /// <summary>libvirt's yes/no (and on/off) attributes.</summary>
    public bool? BoolAttr(XElement? element, string name)
    {
        string? text = Attr(element, name);
        return text switch
        {
            null => null,
            "yes" or "on" => true,
            "no" or "off" => false,
            _ => throw Fail(element!, $"attribute {name}='{text}' is neither yes nor no"),
        };
    }

    /// <summary>
    /// A memory element (&lt;memory&gt;, &lt;currentMemory&gt;, &lt;maxMemory&gt;) in bytes:
    /// its text scaled by its unit attribute, KiB when absent.
    /// </summary>
    public long? MemoryBytes(XElement? element)
    {
        ulong? value = UnsignedText(element);
        if (value is null)
        {
            return null;
        }

        string? unit = Attr(element, "unit");
        try
        {
            return MemoryUnit.MemoryBytes(value.Value, unit);
        }
        catch (FormatException e)
        {
            throw Fail(element!, $"{e.Message} (libvirt knows b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E, EiB)");
        }
        catch (OverflowException)
        {
            throw Fail(element!, $"{value} {unit ?? "KiB"} is more than {long.MaxValue} bytes");
        }
    }

    public static int LineOf(XElement element) => ((IXmlLineInfo)element).LineNumber;

    private int ParseInt(XElement element, string text, string what, bool allowNegative)
    {
        var styles = allowNegative ? NumberStyles.AllowLeadingSign : NumberStyles.None;
        if (!int.TryParse(text.Trim(), styles, CultureInfo.InvariantCulture, out int value))
        {
            throw Fail(element, $"{what} '{text}' is not an integer in 0..{int.MaxValue}");
        }

        return value;
    }

    private ulong? ParseUnsigned(XElement? element, string? text, string what)
    {
        if (text is null)
        {
            return null;
        }

        if (!ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            throw Fail(element!, $"{what} '{text}' is not an unsigned integer");
        }

        return value;
    }
}
