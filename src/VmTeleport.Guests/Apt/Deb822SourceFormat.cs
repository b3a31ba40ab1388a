namespace VmTeleport.Guests.Apt;

/// <summary>
/// The deb822 format of sources.list(5) (*.sources): stanzas separated by blank lines, "Field:
/// value" lines, continuation lines starting with a space or tab (" ." stands for an empty line),
/// '#' comment lines, field names compared without case, multi-value fields split on whitespace.
/// A stanza with "Enabled: no" is kept (enabled false) but, as apt does, not checked further.
/// </summary>
internal static class Deb822SourceFormat
{
    /// <summary>deb822 option fields and their one-line names, as apt maps them (apt-pkg/sourcelist.cc).</summary>
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Architectures"] = "arch",
        ["Architectures-Add"] = "arch+",
        ["Architectures-Remove"] = "arch-",
        ["Languages"] = "lang",
        ["Languages-Add"] = "lang+",
        ["Languages-Remove"] = "lang-",
        ["Targets"] = "target",
        ["Targets-Add"] = "target+",
        ["Targets-Remove"] = "target-",
        ["Trusted"] = "trusted",
        ["Check-Valid-Until"] = "check-valid-until",
        ["Valid-Until-Min"] = "valid-until-min",
        ["Valid-Until-Max"] = "valid-until-max",
        ["Check-Date"] = "check-date",
        ["Date-Max-Future"] = "date-max-future",
        ["PDiffs"] = "pdiffs",
        ["By-Hash"] = "by-hash",
        ["Allow-Insecure"] = "allow-insecure",
        ["Allow-Weak"] = "allow-weak",
        ["Allow-Downgrade-To-Insecure"] = "allow-downgrade-to-insecure",
        ["InRelease-Path"] = "inrelease-path",
        ["Snapshot"] = "snapshot",
    };

    public static void Parse(string file, string text, List<AptSource> into, ICollection<string> problems, int limit)
    {
        var stanza = new Deb822Stanza(file);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int number = i + 1;
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                if (!Flush(stanza, into, problems, limit))
                {
                    return;
                }

                stanza = new Deb822Stanza(file);
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (stanza.Fields.Count == 0)
                {
                    stanza.Fail(number, "continuation line outside a field");
                    continue;
                }

                // Policy 5.1: a continuation line of just " ." stands for an empty line.
                string part = line.Trim();
                var last = stanza.Fields[^1];
                stanza.Fields[^1] = last with { Value = last.Value + "\n" + (part == "." ? string.Empty : part) };
                continue;
            }

            int colon = line.IndexOf(':');
            string name = colon > 0 ? line[..colon] : string.Empty;
            if (name.Length == 0 || name.Any(char.IsWhiteSpace))
            {
                stanza.Fail(number, "not a 'Field: value' line");
                continue;
            }

            if (stanza.Fields.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                stanza.Fail(number, $"field {name} appears twice");
                continue;
            }

            if (stanza.Fields.Count == 0)
            {
                stanza.Line = number;
            }

            stanza.Fields.Add(new Deb822Field(name, line[(colon + 1)..].Trim(), number));
        }

        Flush(stanza, into, problems, limit);
    }

    /// <summary>Turns a finished stanza into a source; false when the limit is reached.</summary>
    private static bool Flush(Deb822Stanza stanza, List<AptSource> into, ICollection<string> problems, int limit)
    {
        if (stanza.Fields.Count == 0 && stanza.Error is null)
        {
            return true;
        }

        string where = $"{stanza.File}:{stanza.Line}";
        if (stanza.Error is not null)
        {
            problems.Add($"{stanza.File}:{stanza.ErrorLine}: malformed stanza ({stanza.Error}); stanza skipped");
            return true;
        }

        if (into.Count >= limit)
        {
            problems.Add($"{where}: more than {limit} APT sources in the guest; the rest are not read");
            return false;
        }

        bool enabled = true;
        if (stanza.Find("Enabled") is { } enabledText && !TryParseBool(enabledText, out enabled))
        {
            problems.Add($"{where}: Enabled: '{enabledText}' is not a boolean; taken as yes");
            enabled = true;
        }

        var source = new AptSource
        {
            File = stanza.File,
            Line = stanza.Line,
            Format = "deb822",
            Enabled = enabled,
            Types = Split(stanza.Find("Types")),
            Uris = Split(stanza.Find("URIs")),
            Suites = Split(stanza.Find("Suites")),
            Components = Split(stanza.Find("Components")),
            Options = Options(stanza),
            SignedBy = SignedBy(stanza.Find("Signed-By")),
        };

        if (enabled && Check(source) is { } error)
        {
            problems.Add($"{where}: malformed stanza ({error}); stanza skipped");
            return true;
        }

        into.Add(source);
        return true;
    }

    /// <summary>What apt would reject in an enabled stanza, or null.</summary>
    private static string? Check(AptSource s)
    {
        if (s.Types.Count == 0)
        {
            return "no Types";
        }

        if (s.Types.FirstOrDefault(t => t is not ("deb" or "deb-src")) is { } unknown)
        {
            return $"type '{unknown}' is not known";
        }

        if (s.Uris.Count == 0)
        {
            return "no URIs";
        }

        if (s.Suites.Count == 0)
        {
            return "no Suites";
        }

        if (s.Suites.FirstOrDefault(x => x.EndsWith('/')) is { } exact && s.Components.Count > 0)
        {
            return $"suite '{exact}' is an exact path, so Components must be absent";
        }

        if (s.Suites.FirstOrDefault(x => !x.EndsWith('/')) is { } suite && s.Components.Count == 0)
        {
            return $"suite '{suite}' needs Components";
        }

        return null;
    }

    private static List<AptOption> Options(Deb822Stanza stanza)
    {
        var options = new List<AptOption>();
        foreach (var field in stanza.Fields)
        {
            if (OptionNames.TryGetValue(field.Name, out var name))
            {
                // Architectures, Languages and Targets are lists; the others hold one value.
                IReadOnlyList<string> values = name.StartsWith("arch", StringComparison.Ordinal)
                    || name.StartsWith("lang", StringComparison.Ordinal)
                    || name.StartsWith("target", StringComparison.Ordinal)
                    ? field.Value.Split([' ', '\t', '\n', ','], StringSplitOptions.RemoveEmptyEntries)
                    : [field.Value];
                options.Add(new AptOption { Name = name, Values = values });
            }
        }

        return options;
    }

    /// <summary>Keyring paths or fingerprints; "inline" when the field holds an ASCII-armored key block.</summary>
    private static List<string> SignedBy(string? value)
    {
        if (value is null)
        {
            return [];
        }

        if (value.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal))
        {
            return ["inline"];
        }

        return [.. value.Split([' ', '\t', '\n', ','], StringSplitOptions.RemoveEmptyEntries)];
    }

    private static List<string> Split(string? value) =>
        value is null ? [] : [.. value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>apt's StringToBool: yes/true/with/on/enable/1 and their opposites.</summary>
    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "yes" or "true" or "with" or "on" or "enable" or "1":
                value = true;
                return true;
            case "no" or "false" or "without" or "off" or "disable" or "0":
                value = false;
                return true;
            default:
                value = true;
                return false;
        }
    }
}
