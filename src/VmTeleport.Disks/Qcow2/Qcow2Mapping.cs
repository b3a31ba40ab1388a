namespace VmTeleport.Disks.Qcow2;

/// <summary>What a guest range maps to, as decoded from one L2 entry (spec "Cluster mapping").</summary>
internal enum Qcow2MappingKind
{
    /// <summary>Not allocated here: read from the backing file, or zeros without one.</summary>
    Unallocated,

    /// <summary>Zero cluster or subcluster (v3 flag bit 0, or the extended L2 zero bitmap).</summary>
    Zero,

    /// <summary>Uncompressed data at <see cref="Qcow2Mapping.HostOffset"/>.</summary>
    Data,

    /// <summary>A compressed cluster; <see cref="Qcow2Mapping.Descriptor"/> holds the raw L2 entry.</summary>
    Compressed,
}

/// <summary>
/// A run of guest bytes [start, start + Length) with one mapping. For Data the host offset is that
/// of the run's first byte, so consecutive runs whose host offsets touch can be read in one call.
/// </summary>
internal readonly record struct Qcow2Mapping(Qcow2MappingKind Kind, long Length, long HostOffset, ulong Descriptor);
