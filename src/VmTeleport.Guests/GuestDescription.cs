using VmTeleport.Guests.Apt;
using VmTeleport.Guests.Boot;
using VmTeleport.Guests.Classes;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Hardware;
using VmTeleport.Guests.Os;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Guests;

/// <summary>
/// The teleport description: everything a destination needs to know about a guest before any
/// file crosses the wire. Its JSON form is versioned and documented in docs/description-format.md.
/// </summary>
public sealed record GuestDescription
{
    public const string FormatName = "vmteleport-description";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    public required DescribedImage Source { get; init; }

    public required DescribedPartitionTable PartitionTable { get; init; }

    public required IReadOnlyList<GuestVolume> Filesystems { get; init; }

    public required IReadOnlyList<FstabEntry> Fstab { get; init; }

    public required OsInfo Os { get; init; }

    public required Bootloader Bootloader { get; init; }

    /// <summary>The libvirt domain's hardware, when a domain was given; null otherwise.</summary>
    public DomainHardware? Hardware { get; init; }

    public required PackageDatabaseInfo PackageDatabase { get; init; }

    public required IReadOnlyList<DpkgPackage> Packages { get; init; }

    public IReadOnlyList<DpkgDiversion> Diversions { get; init; } = [];

    /// <summary>APT's sources and keyrings, for guests that use apt; null otherwise.</summary>
    public AptConfiguration? Apt { get; init; }

    /// <summary>Per class name ("package", "package-modified", "unowned", "ephemeral").</summary>
    public required IReadOnlyDictionary<string, ClassTotals> FileClasses { get; init; }

    /// <summary>Per top-level directory, then per class name.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, ClassTotals>> FileClassesByDirectory { get; init; }

    /// <summary>Owned regular files no md5 could check (counted as package-modified), per package.</summary>
    public IReadOnlyDictionary<string, int> UnverifiableFiles { get; init; } = new Dictionary<string, int>();

    public required MissingFiles MissingFiles { get; init; }

    /// <summary>Owned files classed package-modified, with their package.</summary>
    public ModifiedFiles ModifiedFiles { get; init; } = new() { Count = 0 };

    /// <summary>What could not be read or made sense of; the rest of the description still holds.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
