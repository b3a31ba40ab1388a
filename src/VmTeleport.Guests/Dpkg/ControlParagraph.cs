namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// One paragraph of a Debian control file (deb822(5)): fields in the order they appear, names
/// compared case-insensitively as the format requires.
/// </summary>
public sealed class ControlParagraph
{
    private readonly Dictionary<string, string> _fields;

    internal ControlParagraph(string source, int line, Dictionary<string, string> fields, IReadOnlyList<string> order)
    {
        Source = source;
        Line = line;
        _fields = fields;
        FieldNames = order;
    }

    /// <summary>The file the paragraph came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The 1-based line where the paragraph starts.</summary>
    public int Line { get; }

    public IReadOnlyList<string> FieldNames { get; }

    /// <summary>
    /// The field's value: the text after the colon with surrounding blanks removed, continuation
    /// lines joined with "\n" (each without its leading blank); null when absent.
    /// </summary>
    public string? this[string name] => _fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>"file:line" for messages about this paragraph.</summary>
    public string Where => $"{Source}:{Line}";
}
