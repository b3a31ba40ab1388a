namespace VmTeleport.Guests.Classes;

/// <summary>
/// A path pattern of a class policy: "*" and "?" stay within one path component, "**" spans one or
/// more characters including "/" (so "/tmp/**" is everything below /tmp, not /tmp itself),
/// "[abc]" and "[!abc]" are character classes; everything else is literal. Matching is a dynamic
/// programme over pattern and path (time proportional to their product, no backtracking blow-up
/// whatever a guest names its files), after a cheap check of the pattern's literal prefix.
/// </summary>
public sealed class PathGlob
{
    private readonly Token[] _tokens;
    private readonly string _prefix;

    public PathGlob(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (!pattern.StartsWith('/'))
        {
            throw new FormatException($"pattern \"{pattern}\" is not an absolute path");
        }

        Pattern = pattern;
        _tokens = Parse(pattern);
        _prefix = new string([.. _tokens.TakeWhile(t => t.Kind == Kind.Literal).Select(t => t.Char)]);
    }

    public string Pattern { get; }

    public override string ToString() => Pattern;

    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // prev[j]: the tokens so far match path[..j].
        int n = path.Length;
        var prev = new bool[n + 1];
        var cur = new bool[n + 1];
        prev[0] = true;
        foreach (var t in _tokens)
        {
            cur[0] = t.Kind == Kind.Star && prev[0];
            for (int j = 1; j <= n; j++)
            {
                char c = path[j - 1];
                cur[j] = t.Kind switch
                {
                    Kind.Star => prev[j] || (cur[j - 1] && c != '/'),
                    Kind.DoubleStar => prev[j - 1] || cur[j - 1],
                    _ => prev[j - 1] && t.Matches(c),
                };
            }

            (prev, cur) = (cur, prev);
        }

        return prev[n];
    }

    private static Token[] Parse(string pattern)
    {
        var tokens = new List<Token>();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                tokens.Add(new Token(Kind.DoubleStar, '\0', null, false));
                i++;
            }
            else if (c == '*')
            {
                tokens.Add(new Token(Kind.Star, '\0', null, false));
            }
            else if (c == '?')
            {
                tokens.Add(new Token(Kind.AnyChar, '\0', null, false));
            }
            else if (c == '[' && i + 2 <= pattern.Length && pattern.IndexOf(']', i + 2) is int close && close > i + 1)
            {
                bool negate = pattern[i + 1] == '!';
                var set = pattern[(i + (negate ? 2 : 1))..close];
                tokens.Add(new Token(Kind.Class, '\0', Expand(set, pattern), negate));
                i = close;
            }
            else
            {
                tokens.Add(new Token(Kind.Literal, c, null, false));
            }
        }

        return [.. tokens];
    }

    /// <summary>"a-cx" -> {a, b, c, x}.</summary>
    private static HashSet<char> Expand(string set, string pattern)
    {
        var chars = new HashSet<char>();
        for (int i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                if (set[i + 2] < set[i] || set[i + 2] - set[i] > 1024)
                {
                    throw new FormatException($"pattern \"{pattern}\" has the range {set[i]}-{set[i + 2]}, reversed or wider than 1024 characters");
                }

                for (int c = set[i]; c <= set[i + 2]; c++)
                {
                    chars.Add((char)c);
                }

                i += 2;
            }
            else
            {
                chars.Add(set[i]);
            }
        }

        return chars;
    }

    private enum Kind
    {
        Literal,
        AnyChar,
        Class,
        Star,
        DoubleStar,
    }

    private readonly record struct Token(Kind Kind, char Char, HashSet<char>? Set, bool Negate)
    {
        public bool Matches(char c) => Kind switch
        {
            Kind.Literal => c == Char,
            Kind.AnyChar => c != '/',
            Kind.Class => c != '/' && Set!.Contains(c) != Negate,
            _ => false,
        };
    }
}
