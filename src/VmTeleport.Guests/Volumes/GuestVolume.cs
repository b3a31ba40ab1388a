namespace VmTeleport.Guests.Volumes;

/// <summary>
/// One partition (or the whole disk when it has no partition table) and what is on it: an entry
/// of the description's <c>filesystems</c> array.
/// </summary>
public sealed record GuestVolume
{
    /// <summary>The partition number, or 0 for a filesystem on the whole disk.</summary>
    public required int Partition { get; init; }

    public required long Offset { get; init; }

    public required long Length { get; init; }

    /// <summary>MBR type as "0x83", or the GPT type GUID; null for the whole disk.</summary>
    public string? PartitionType { get; init; }

    /// <summary>"ext2", "ext3", "ext4", "swap", "vfat", "unknown", or "unreadable" (looks like one we read, but is damaged).</summary>
    public required string Type { get; init; }

    /// <summary>The filesystem's UUID as fstab names it (vfat: "ABCD-1234"), or null.</summary>
    public string? Uuid { get; init; }

    public string? Label { get; init; }

    /// <summary>ext feature names as mke2fs spells them ("has_journal", "extent", "64bit", …).</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    public int? BlockSize { get; init; }

    public int? InodeSize { get; init; }

    /// <summary>Bytes the filesystem spans (block count × block size).</summary>
    public long? Size { get; init; }

    /// <summary>Bytes in use according to the filesystem's own free-block count.</summary>
    public long? Used { get; init; }

    /// <summary>What the volume is for, from what is on it: "root", "boot", "var", "home", "usr", "swap", "esp", "data" or "unknown".</summary>
    public required string Role { get; init; }

    /// <summary>Where fstab mounts it ("/", "/boot", "swap"), or null when fstab does not name it.</summary>
    public string? MountPoint { get; init; }

    /// <summary>What the reader noticed about it (e.g. "needs journal recovery").</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
