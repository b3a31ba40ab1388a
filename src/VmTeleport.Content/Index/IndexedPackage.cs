namespace VmTeleport.Content.Index;

/// <summary>
/// A package a source holds: a guest's installed package, the .deb's own, or a package an APT
/// repository serves (then with where its archive is and what it should hash to).
/// </summary>
public sealed record IndexedPackage(string Name, string Version, string Architecture)
{
    /// <summary>APT repositories: the archive's URL or path (Filename resolved against the repository root).</summary>
    public string? ArchiveLocation { get; init; }

    /// <summary>APT repositories: the archive's size in bytes, when the index gives it.</summary>
    public long? ArchiveSize { get; init; }

    /// <summary>APT repositories: the archive's SHA-256, when the index gives it.</summary>
    public byte[]? ArchiveSha256 { get; init; }

    /// <summary>The APT suite of the source that holds it (<see cref="IndexedSource.Suite"/>), null when unknown.</summary>
    public string? Suite { get; init; }
}
