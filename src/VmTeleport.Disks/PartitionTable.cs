namespace VmTeleport.Disks;

/// <summary>The partition table of a disk: MBR (with extended/logical), GPT, or none.</summary>
public sealed class PartitionTable
{
    public required PartitionScheme Scheme { get; init; }

    /// <summary>GPT disk GUID, or null.</summary>
    public Guid? DiskGuid { get; init; }

    /// <summary>MBR disk signature (bytes 440–443), or null.</summary>
    public uint? MbrSignature { get; init; }

    public required IReadOnlyList<Partition> Partitions { get; init; }

    /// <summary>
    /// Reads the table of <paramref name="disk"/>. A disk without a recognisable table yields
    /// <see cref="PartitionScheme.None"/>; a corrupt one throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static PartitionTable Read(IBlockSource disk) =>
        throw new NotSupportedException($"{disk.Description}: partition tables land with issue 2's disk reader");
}
