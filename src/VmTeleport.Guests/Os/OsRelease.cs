using System.Text;

namespace VmTeleport.Guests.Os;

/// <summary>
/// The variables of an os-release(5) file: KEY=value lines, values optionally quoted with shell
/// quoting rules (double quotes with backslash escapes, single quotes literal).
/// </summary>
public static class OsRelease
{
    public static IReadOnlyDictionary<string, string> Parse(string text, string source, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(problems);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        int bad = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !IsName(line.AsSpan(0, eq)) || Unquote(line[(eq + 1)..]) is not { } value)
            {
                // One message for a whole file of garbage is enough to say what happened.
                if (bad++ == 0)
                {
                    problems.Add($"{source}:{number}: not a KEY=value line: {Sanitize(line)}");
                }

                continue;
            }

            result[line[..eq]] = value;
        }

        if (bad > 1)
        {
            problems.Add($"{source}: {bad} lines in all are not KEY=value lines");
        }

        return result;
    }

    private static bool IsName(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Unquote(string v)
    {
        if (v.Length == 0)
        {
            return v;
        }

        if (v[0] == '\'')
        {
            return v.Length >= 2 && v[^1] == '\'' ? v[1..^1] : null;
        }

        if (v[0] != '"')
        {
            return v.Contains(' ', StringComparison.Ordinal) ? null : v;
        }

        if (v.Length < 2 || v[^1] != '"')
        {
            return null;
        }

        var sb = new StringBuilder(v.Length);
        for (int i = 1; i < v.Length - 1; i++)
        {
            if (v[i] == '\\' && i + 1 < v.Length - 1 && v[i + 1] is '"' or '\\' or '$' or '`')
            {
                i++;
            }

            sb.Append(v[i]);
        }

        return sb.ToString();
    }

    /// <summary>A line shown in a message: printable ASCII only, at most 60 characters.</summary>
    internal static string Sanitize(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s.Length > 60 ? s[..60] : s)
        {
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return s.Length > 60 ? sb.Append('…').ToString() : sb.ToString();
    }
}
