namespace VmTeleport.Guests.Apt;

/// <summary>A deb822 stanza being read: its fields in order and the first thing wrong with it, if any.</summary>
internal sealed class Deb822Stanza(string file)
{
    public string File { get; } = file;

    /// <summary>Line of the first field.</summary>
    public int Line { get; set; }

    public List<Deb822Field> Fields { get; } = [];

    public string? Error { get; private set; }

    public int ErrorLine { get; private set; }

    /// <summary>The value of field <paramref name="name"/> (compared without case), or null.</summary>
    public string? Find(string name) =>
        Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>Records the first error; the stanza is then skipped as a whole.</summary>
    public void Fail(int line, string error)
    {
        if (Error is null)
        {
            Error = error;
            ErrorLine = line;
        }
    }
}
