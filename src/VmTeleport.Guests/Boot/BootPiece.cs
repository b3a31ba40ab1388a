namespace VmTeleport.Guests.Boot;

/// <summary>
/// One region of the disk that belongs to the bootloader. Pieces other than "filesystem" are raw
/// byte ranges a rebuild copies as they are: no filesystem describes them.
/// </summary>
public sealed record BootPiece
{
    /// <summary>
    /// "mbr" (boot code of sector 0), "post-mbr-gap" (between the partition table and the first
    /// partition), "bios-boot-partition", "esp", "volume-boot-record" (the first sector of a
    /// partition) or "filesystem" (the partition whose files hold the rest, rebuilt as files).
    /// </summary>
    public required string Location { get; init; }

    /// <summary>Byte offset on the disk.</summary>
    public required long Offset { get; init; }

    /// <summary>Length in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>The partition's number, or null outside partitions.</summary>
    public int? Partition { get; init; }

    /// <summary>What was recognised there, in words.</summary>
    public required string Detail { get; init; }
}
