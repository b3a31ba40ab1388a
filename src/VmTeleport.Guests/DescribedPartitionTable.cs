using VmTeleport.Disks;

namespace VmTeleport.Guests;

/// <summary>The partition layout as the description records it, enough to re-create it exactly.</summary>
public sealed record DescribedPartitionTable
{
    /// <summary>"mbr", "gpt" or "none".</summary>
    public required string Scheme { get; init; }

    public Guid? DiskGuid { get; init; }

    /// <summary>The MBR disk signature as "0x5e1f0a7e".</summary>
    public string? MbrSignature { get; init; }

    public IReadOnlyList<DescribedPartition> Partitions { get; init; } = [];

    public static DescribedPartitionTable From(PartitionTable t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new DescribedPartitionTable
        {
            Scheme = t.Scheme.ToString().ToLowerInvariant(),
            DiskGuid = t.DiskGuid,
            MbrSignature = t.MbrSignature is uint s ? $"0x{s:x8}" : null,
            Partitions = [.. t.Partitions.Select(p => new DescribedPartition
            {
                Number = p.Number,
                Offset = p.Offset,
                Length = p.Length,
                Type = p.TypeGuid?.ToString() ?? (p.MbrType is byte b ? $"0x{b:x2}" : null),
                Bootable = p.Bootable,
                Logical = p.IsLogical,
                Name = p.Name,
                PartitionGuid = p.PartitionGuid,
                Attributes = p.Attributes,
            })],
        };
    }
}

/// <summary>One partition of <see cref="DescribedPartitionTable"/>.</summary>
public sealed record DescribedPartition
{
    public required int Number { get; init; }

    public required long Offset { get; init; }

    public required long Length { get; init; }

    /// <summary>MBR type as "0x83" or the GPT type GUID.</summary>
    public string? Type { get; init; }

    public bool Bootable { get; init; }

    public bool Logical { get; init; }

    public string? Name { get; init; }

    public Guid? PartitionGuid { get; init; }

    public ulong Attributes { get; init; }
}
