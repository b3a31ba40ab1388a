namespace VmTeleport.Content.Index;

/// <summary>What an indexed source is (docs/content-index.md, "sources").</summary>
public enum SourceKind
{
    /// <summary>A disk image file's current state.</summary>
    Image,

    /// <summary>A qcow2 internal snapshot of an image (location IMAGE, snapshot NAME).</summary>
    Snapshot,

    /// <summary>A backing file of an indexed image's chain, indexed as an image of its own.</summary>
    Backing,

    /// <summary>One Debian binary package file.</summary>
    Deb,

    /// <summary>A Packages index at a URL whose archives are fetched on demand (not implemented yet).</summary>
    AptRepository,
}
