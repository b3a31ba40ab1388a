namespace VmTeleport.Rebuild;

/// <summary>How <see cref="DiskRebuilder.Rebuild"/> may use the machine (docs/rebuild.md, "Measured").</summary>
public sealed record RebuildOptions
{
    /// <summary>Workers that write staged files' content at the same time (the provider is called from each).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Most bytes of <see cref="MemoryDirectory"/> (a tmpfs) the staging tree and the raw disk may
    /// take together; a rebuild whose estimate is larger, or larger than half the available memory
    /// or the free space there, works next to the output instead. 0 never works in memory.
    /// </summary>
    public long MemoryLimit { get; init; } = 4L << 30;

    /// <summary>Where a rebuild that fits in <see cref="MemoryLimit"/> works.</summary>
    public string MemoryDirectory { get; init; } = "/dev/shm";
}
