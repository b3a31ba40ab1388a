namespace VmTeleport.Guests.Volumes;

/// <summary>One line of /etc/fstab (fstab(5)), octal escapes such as \040 decoded.</summary>
public sealed record FstabEntry
{
    /// <summary>What is mounted: "UUID=…", "LABEL=…", "PARTUUID=…", "/dev/vda1", a swap file path, ….</summary>
    public required string Spec { get; init; }

    public required string MountPoint { get; init; }

    public required string Type { get; init; }

    public required string Options { get; init; }

    public int Dump { get; init; }

    public int Pass { get; init; }

    public int Line { get; init; }

    /// <summary>The partition number the spec resolved to (0 for a whole-disk filesystem), or null when it names nothing on this disk.</summary>
    public int? ResolvedPartition { get; init; }
}
