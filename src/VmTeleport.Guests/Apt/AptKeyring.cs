namespace VmTeleport.Guests.Apt;

/// <summary>An OpenPGP keyring file APT may use to verify repositories.</summary>
public sealed record AptKeyring
{
    /// <summary>Guest path as apt names it (a symlink's own path; its target is what is read).</summary>
    public required string Path { get; init; }

    public required long Size { get; init; }

    /// <summary>Lowercase hex SHA-256 of the content; null when the file is larger than the read cap.</summary>
    public string? Sha256 { get; init; }

    /// <summary>"openpgp-binary", "openpgp-armored" or "unknown", from the first bytes.</summary>
    public required string Format { get; init; }

    /// <summary>The source files whose signed-by names it, and "global" for trusted.gpg and trusted.gpg.d.</summary>
    public required IReadOnlyList<string> ReferencedBy { get; init; }
}
