namespace VmTeleport.Content.Debs;

/// <summary>
/// What a package's control.tar says about it: the control paragraph (deb-control(5)), the md5sums
/// of its files and its conffiles. Field names compare case-insensitively, as in dpkg.
/// </summary>
public sealed class DebControl
{
    internal DebControl(IReadOnlyDictionary<string, string> fields, IReadOnlyDictionary<string, string> md5Sums,
        IReadOnlyList<string> conffiles)
    {
        Fields = fields;
        Md5Sums = md5Sums;
        Conffiles = conffiles;
    }

    /// <summary>Every field of the control paragraph; continuation lines are kept, joined by "\n".</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    public string Package => Required("Package");

    public string Version => Required("Version");

    public string Architecture => Required("Architecture");

    /// <summary>Installed path ("/usr/bin/ls") → lowercase hex MD5, from the md5sums member (may be empty).</summary>
    public IReadOnlyDictionary<string, string> Md5Sums { get; }

    /// <summary>Installed paths of the package's conffiles, in the order listed.</summary>
    public IReadOnlyList<string> Conffiles { get; }

    private string Required(string field) =>
        Fields.TryGetValue(field, out var value)
            ? value
            : throw new InvalidDataException($"the control paragraph has no {field} field");

    /// <summary>Parses the control file: "Field: value" lines, continuation lines start with a space or tab.</summary>
    internal static Dictionary<string, string> ParseParagraph(string text, string archive)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                // One paragraph only: a blank line ends it (trailing blank lines are common).
                if (fields.Count > 0)
                {
                    break;
                }

                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (last is null)
                {
                    throw new InvalidDataException($"{archive}: control line {lineNumber} continues a field that was never started");
                }

                fields[last] += "\n" + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"{archive}: control line {lineNumber} is not \"Field: value\": \"{line}\"");
            }

            last = line[..colon];
            fields[last] = line[(colon + 1)..].Trim();
        }

        if (fields.Count == 0)
        {
            throw new InvalidDataException($"{archive}: the control file is empty");
        }

        return fields;
    }

    /// <summary>md5sums lines: "HEX  relative/path"; paths are relative to the root.</summary>
    internal static Dictionary<string, string> ParseMd5Sums(string text, string archive)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var hex = space == 32 ? line[..32] : null;
            if (hex is null || !hex.All(char.IsAsciiHexDigit) || line.Length < 35)
            {
                throw new InvalidDataException($"{archive}: md5sums line {lineNumber} is not \"MD5  path\": \"{line}\"");
            }

            var path = DebPath.Normalize(line[32..].TrimStart(' ', '*'), archive, "md5sums");
            sums[path] = hex.ToLowerInvariant();
        }

        return sums;
    }
}
