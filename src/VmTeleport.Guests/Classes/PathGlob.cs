using System.Text;
using System.Text.RegularExpressions;

namespace VmTeleport.Guests.Classes;

/// <summary>
/// A path pattern of a class policy: "*" and "?" stay within one path component, "**" spans any
/// number of characters including "/" (so "/tmp/**" is everything below /tmp, not /tmp itself),
/// "[…]" is a character class; everything else is literal.
/// </summary>
public sealed class PathGlob
{
    private readonly Regex _regex;

    public PathGlob(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (!pattern.StartsWith('/'))
        {
            throw new FormatException($"pattern \"{pattern}\" is not an absolute path");
        }

        Pattern = pattern;
        _regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    public string Pattern { get; }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    public override string ToString() => Pattern;

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                sb.Append(".+");
                i++;
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else if (c == '[' && pattern.IndexOf(']', i + 1) is int close && close > i + 1)
            {
                var set = pattern[(i + 1)..close];
                sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = close;
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        return sb.Append('$').ToString();
    }
}
