namespace VmTeleport.Guests.Apt;

/// <summary>
/// One entry of an APT source file: a one-line entry ("deb [opts] uri suite comp...") or a deb822
/// stanza (which may name several types, URIs and suites at once).
/// </summary>
public sealed record AptSource
{
    /// <summary>The guest path of the file, e.g. "/etc/apt/sources.list.d/debian.sources".</summary>
    public required string File { get; init; }

    /// <summary>1-based line of the entry (of the stanza's first field for deb822).</summary>
    public required int Line { get; init; }

    /// <summary>"one-line" or "deb822".</summary>
    public required string Format { get; init; }

    /// <summary>False for a deb822 stanza with "Enabled: no" (apt skips it).</summary>
    public required bool Enabled { get; init; }

    /// <summary>"deb" and/or "deb-src".</summary>
    public required IReadOnlyList<string> Types { get; init; }

    public required IReadOnlyList<string> Uris { get; init; }

    /// <summary>Suites (or exact paths ending in "/", for flat repositories).</summary>
    public required IReadOnlyList<string> Suites { get; init; }

    /// <summary>Components; empty for a flat repository.</summary>
    public required IReadOnlyList<string> Components { get; init; }

    /// <summary>Options under their one-line names (arch, lang, target, trusted, ...), signed-by excepted.</summary>
    public required IReadOnlyList<AptOption> Options { get; init; }

    /// <summary>Keyring paths or fingerprints from signed-by, or ["inline"] when a deb822 stanza embeds the key.</summary>
    public required IReadOnlyList<string> SignedBy { get; init; }
}
