namespace VmTeleport.Content.Index;

/// <summary>
/// An indexed package with the source that holds it: an image's or snapshot's installed package,
/// a .deb, or a package an APT repository serves (<see cref="IndexedPackage.ArchiveLocation"/>).
/// </summary>
public sealed record PackageLocation(IndexedPackage Package, long SourceId, SourceKind Kind, string Location, string? Snapshot)
{
    /// <summary>Whether an archive of it is at hand (a .deb) or can be fetched (a repository's): a rebuild can install it.</summary>
    public bool HasArchive => Kind == SourceKind.Deb || (Kind == SourceKind.AptRepository && Package.ArchiveLocation is not null);

    /// <summary>Where it is, as a user names it: the .deb's path, the archive's URL, or IMAGE[@SNAPSHOT].</summary>
    public string From => Kind == SourceKind.AptRepository && Package.ArchiveLocation is { } archive ? archive
        : Snapshot is null ? Location : $"{Location}@{Snapshot}";
}
