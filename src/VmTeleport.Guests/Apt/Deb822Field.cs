namespace VmTeleport.Guests.Apt;

/// <summary>One field of a deb822 stanza: its name as written, its value (continuation lines joined by '\n') and its line.</summary>
internal sealed record Deb822Field(string Name, string Value, int Line);
