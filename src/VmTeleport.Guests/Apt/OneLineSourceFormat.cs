namespace VmTeleport.Guests.Apt;

/// <summary>
/// The one-line format of sources.list(5): "type [ key=value ... ] uri suite [component ...]".
/// Follows apt's own parser (apt-pkg/sourcelist.cc): '#' starts a comment anywhere outside the
/// option brackets, words may be quoted with "...", a suite ending in '/' is an exact path and
/// takes no components, any other suite needs at least one.
/// </summary>
internal static class OneLineSourceFormat
{
    public static void Parse(string file, string text, List<AptSource> into, ICollection<string> problems, int limit)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = StripComment(lines[i]).Trim(' ', '\t', '\r', '\v', '\f');
            if (line.Length == 0)
            {
                continue;
            }

            if (into.Count >= limit)
            {
                problems.Add($"{file}:{i + 1}: more than {limit} APT sources in the guest; the rest are not read");
                return;
            }

            var source = ParseLine(file, i + 1, line, out string? error);
            if (source is null)
            {
                problems.Add($"{file}:{i + 1}: malformed line ({error}); skipped");
                continue;
            }

            into.Add(source);
        }
    }

    /// <summary>Cuts the line at the first '#' that is not inside "[...]" (apt keeps '#' within options).</summary>
    private static string StripComment(string line)
    {
        int depth = 0;
        for (int i = 0; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case '#' when depth <= 0:
                    return line[..i];
            }
        }

        return line;
    }

    private static AptSource? ParseLine(string file, int lineNumber, string line, out string? error)
    {
        int pos = 0;
        var type = Word(line, ref pos, out error);
        if (type is null)
        {
            return null;
        }

        if (type is not ("deb" or "deb-src"))
        {
            error = $"type '{type}' is not known";
            return null;
        }

        var options = new List<AptOption>();
        var signedBy = new List<string>();
        var uri = Word(line, ref pos, out error);
        if (uri is null)
        {
            error ??= "no URI";
            return null;
        }

        if (uri.StartsWith('['))
        {
            if (!ParseOptions(uri, options, signedBy, out error))
            {
                return null;
            }

            uri = Word(line, ref pos, out error);
            if (uri is null)
            {
                error ??= "no URI";
                return null;
            }
        }

        var suite = Word(line, ref pos, out error);
        if (suite is null)
        {
            error ??= "no suite";
            return null;
        }

        var components = new List<string>();
        while (Word(line, ref pos, out error) is { } component)
        {
            components.Add(component);
        }

        if (error is not null)
        {
            return null;
        }

        if (suite.EndsWith('/') && components.Count > 0)
        {
            error = $"suite '{suite}' is an exact path, so it takes no components";
            return null;
        }

        if (!suite.EndsWith('/') && components.Count == 0)
        {
            error = $"suite '{suite}' has no component";
            return null;
        }

        return new AptSource
        {
            File = file,
            Line = lineNumber,
            Format = "one-line",
            Enabled = true,
            Types = [type],
            Uris = [uri],
            Suites = [suite],
            Components = components,
            Options = options,
            SignedBy = signedBy,
        };
    }

    /// <summary>"[a=b c=d,e]": each option is key=value (key+= adds, key-= removes); values split on ','.</summary>
    private static bool ParseOptions(string bracketed, List<AptOption> options, List<string> signedBy, out string? error)
    {
        error = null;
        if (!bracketed.EndsWith(']'))
        {
            error = "options not closed by ']'";
            return false;
        }

        var inner = bracketed[1..^1];
        foreach (var token in inner.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq < 0)
            {
                error = $"option '{token}' is not key=value";
                return false;
            }

            string key = token[..eq];
            string value = token[(eq + 1)..];
            if (key.Length == 0 || key is "+" or "-")
            {
                error = $"option '{token}' has no key";
                return false;
            }

            if (value.Length == 0)
            {
                error = $"option '{token}' has no value";
                return false;
            }

            var values = value.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (key == "signed-by")
            {
                signedBy.AddRange(values);
            }
            else
            {
                options.Add(new AptOption { Name = key, Values = values });
            }
        }

        return true;
    }

    /// <summary>
    /// The next whitespace-separated word, as apt's ParseQuoteWord: "..." quotes are removed and may
    /// hold spaces, "[...]" stays one word. Null at the end of the line, or with an error when a
    /// quote or bracket is not closed.
    /// </summary>
    private static string? Word(string line, ref int pos, out string? error)
    {
        error = null;
        while (pos < line.Length && char.IsWhiteSpace(line[pos]))
        {
            pos++;
        }

        if (pos == line.Length)
        {
            return null;
        }

        var word = new System.Text.StringBuilder();
        while (pos < line.Length && !char.IsWhiteSpace(line[pos]))
        {
            char c = line[pos];
            if (c is '"' or '[')
            {
                char close = c == '"' ? '"' : ']';
                int end = line.IndexOf(close, pos + 1);
                if (end < 0)
                {
                    error = c == '"' ? "unterminated quote" : "options not closed by ']'";
                    return null;
                }

                word.Append(c == '"' ? line.AsSpan(pos + 1, end - pos - 1) : line.AsSpan(pos, end - pos + 1));
                pos = end + 1;
                continue;
            }

            word.Append(c);
            pos++;
        }

        return word.ToString();
    }
}
