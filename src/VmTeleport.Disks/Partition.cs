namespace VmTeleport.Disks;

/// <summary>
/// One partition as the kernel would number it: MBR primaries 1–4, logical partitions from 5;
/// GPT entries by their slot number starting at 1.
/// </summary>
public sealed record Partition(int Number, long Offset, long Length)
{
    /// <summary>MBR partition type byte (0x83 Linux, 0x82 swap, 0xee protective, ...).</summary>
    public byte? MbrType { get; init; }

    /// <summary>MBR active (boot) flag.</summary>
    public bool Bootable { get; init; }

    /// <summary>An MBR logical partition inside an extended one.</summary>
    public bool IsLogical { get; init; }

    public Guid? TypeGuid { get; init; }

    public Guid? PartitionGuid { get; init; }

    /// <summary>GPT partition name (UTF-16LE on disk).</summary>
    public string? Name { get; init; }

    /// <summary>GPT attribute bits.</summary>
    public ulong Attributes { get; init; }
}
