namespace VmTeleport.Guests.Dpkg;

/// <summary>A package in dpkg's status database: an entry of the description's <c>packages</c> array.</summary>
public sealed record DpkgPackage
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Architecture { get; init; }

    /// <summary>The source package's name (the Source field without its version; the package's own name when absent).</summary>
    public required string Source { get; init; }

    /// <summary>The source package's version (from "Source: name (version)"; the package's version when absent).</summary>
    public required string SourceVersion { get; init; }

    /// <summary>The Status field as dpkg writes it: want, error flag and state, e.g. "install ok installed".</summary>
    public required string Status { get; init; }

    /// <summary>The state word of Status: "installed", "config-files", "unpacked", "half-configured", ….</summary>
    public required string State { get; init; }

    /// <summary>Installed-Size in bytes (dpkg records KiB), or null when absent.</summary>
    public long? InstalledSize { get; init; }

    public string? Section { get; init; }

    public string? Priority { get; init; }

    public string? MultiArch { get; init; }

    public bool Essential { get; init; }

    /// <summary>Paths in the package's file list (info/NAME.list), directories included.</summary>
    public int FileCount { get; init; }

    /// <summary>Whether info/NAME.md5sums exists, so that its files can be checked.</summary>
    public bool HasMd5sums { get; init; }

    public IReadOnlyList<DpkgConffile> Conffiles { get; init; } = [];

    /// <summary>"name:arch" for Multi-Arch: same packages, as dpkg names their info files; otherwise the name.</summary>
    public string InfoName => MultiArch == "same" ? $"{Name}:{Architecture}" : Name;
}
