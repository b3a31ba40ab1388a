using VmTeleport.Content.Index;

namespace VmTeleport.Content.Planning;

/// <summary>
/// What the package plan decided for one package of the source (<see cref="PackageSourcing"/>):
/// the version the destination will have and where it comes from, with a one-line reason.
/// </summary>
public sealed record PackageChoice
{
    public required string Name { get; init; }

    public required string Architecture { get; init; }

    /// <summary>The version installed in the source.</summary>
    public required string SourceVersion { get; init; }

    public required PackageAction Action { get; init; }

    /// <summary>The version the destination will have: the source's for exact and wire, the newer one for newer.</summary>
    public required string Version { get; init; }

    /// <summary>Where it is: the .deb's path, the archive's URL, or IMAGE[@SNAPSHOT]; null for wire.</summary>
    public string? From { get; init; }

    /// <summary>The kind of source it comes from; null for wire.</summary>
    public SourceKind? FromKind { get; init; }

    /// <summary>The APT suite of that source, when known.</summary>
    public string? Suite { get; init; }

    /// <summary>The indexed package chosen (with the archive's URL, size and SHA-256 when a repository serves it); null for wire.</summary>
    public IndexedPackage? Package { get; init; }

    /// <summary>Why, in one line: which source holds it, or why nothing local will do.</summary>
    public required string Reason { get; init; }

    /// <summary>"exact", "newer" or "wire".</summary>
    public string ActionName => Action.ToString().ToLowerInvariant();
}
