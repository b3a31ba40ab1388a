namespace VmTeleport.Rebuild;

/// <summary>How <see cref="DiskRebuilder.Rebuild"/> may use the machine (docs/rebuild.md, "Measured").</summary>
public sealed record RebuildOptions
{
    /// <summary>
    /// Workers that write staged files' content at the same time (the provider is called from
    /// each); 1 writes each file on the staging thread. 1 by default: with the local
    /// <see cref="SourceImageProvider"/> on 2 cores, 2 workers staged debian12 in 1.9–2.0 s against
    /// 1.6–1.7 s for 1 (docs/rebuild.md); a provider that waits on the network should gain.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Most bytes of <see cref="MemoryDirectory"/> (a tmpfs) the staging tree and the raw disk may
    /// take together; a rebuild whose estimate is larger, or larger than half the available memory
    /// or the free space there, works next to the output instead. 0 never works in memory.
    /// </summary>
    public long MemoryLimit { get; init; } = 4L << 30;

    /// <summary>Where a rebuild that fits in <see cref="MemoryLimit"/> works.</summary>
    public string MemoryDirectory { get; init; } = "/dev/shm";
}
