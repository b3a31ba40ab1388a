namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// Reads Debian control files (deb822(5)): dpkg's status file, APT's deb822 sources, Packages
/// indexes. Tolerant like dpkg's own parser is not: a line that is neither a field, a
/// continuation, a comment nor a paragraph break is reported with its line number and skipped, so
/// that one damaged paragraph does not hide the rest of the file.
/// </summary>
public static class ControlFile
{
    /// <summary>Longest line accepted; dpkg's own fields are far shorter, so longer means damage.</summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>Longest field value accepted (a Description or Conffiles list is a few KiB).</summary>
    public const int MaxValueLength = 16 << 20;

    public static IEnumerable<ControlParagraph> Parse(TextReader reader, string source, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(problems);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        var value = new System.Text.StringBuilder();
        string? current = null;
        int start = 0, lineNumber = 0;
        bool valueTooLong = false;

        void EndField()
        {
            if (current is null)
            {
                return;
            }

            if (fields.ContainsKey(current))
            {
                problems.Add($"{source}:{start}: field {current} appears twice in one paragraph; the first is kept");
            }
            else
            {
                fields[current] = value.ToString().TrimEnd();
                order.Add(current);
            }

            current = null;
            value.Clear();
            valueTooLong = false;
        }

        ControlParagraph? EndParagraph()
        {
            EndField();
            if (order.Count == 0)
            {
                return null;
            }

            var p = new ControlParagraph(source, start, fields, order);
            fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            order = [];
            return p;
        }

        string? line;
        while ((line = ReadLine(reader, source, lineNumber + 1)) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
            {
                if (EndParagraph() is { } done)
                {
                    yield return done;
                }

                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (current is null)
                {
                    problems.Add($"{source}:{lineNumber}: continuation line outside a field, skipped");
                    continue;
                }

                if (value.Length + line.Length > MaxValueLength)
                {
                    if (!valueTooLong)
                    {
                        problems.Add($"{source}:{lineNumber}: field {current} is longer than {MaxValueLength} bytes; the rest is skipped");
                        valueTooLong = true;
                    }

                    continue;
                }

                value.Append('\n').Append(line.AsSpan(1).TrimEnd());
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                problems.Add($"{source}:{lineNumber}: not a \"Field: value\" line, skipped: {Excerpt(line)}");
                continue;
            }

            EndField();
            if (order.Count == 0 && fields.Count == 0)
            {
                start = lineNumber;
            }

            current = line[..colon];
            value.Append(line.AsSpan(colon + 1).Trim());
        }

        if (EndParagraph() is { } last)
        {
            yield return last;
        }
    }

    /// <summary>Parses a whole string (a small file already read).</summary>
    public static IReadOnlyList<ControlParagraph> Parse(string text, string source, ICollection<string> problems) =>
        Parse(new StringReader(text), source, problems).ToList();

    internal static string Excerpt(string line) => line.Length <= 60 ? line : line[..60] + "…";

    private static string? ReadLine(TextReader reader, string source, int lineNumber)
    {
        var line = reader.ReadLine();
        if (line is not null && line.Length > MaxLineLength)
        {
            throw new InvalidDataException($"{source}:{lineNumber}: line longer than {MaxLineLength} bytes; not a control file");
        }

        return line;
    }
}
