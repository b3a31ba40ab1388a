namespace VmTeleport.Rebuild;

/// <summary>What a rebuild did and where its time went (seconds per phase, in order).</summary>
public sealed record RebuildResult
{
    public required string Output { get; init; }
    public required long OutputBytes { get; init; }
    public required long VirtualSize { get; init; }
    public required int Volumes { get; init; }
    public required long Files { get; init; }
    public required long FileBytes { get; init; }
    public required long RegionBytes { get; init; }
    public required long FixupCommands { get; init; }
    public required IReadOnlyList<(string Phase, double Seconds)> Phases { get; init; }

    /// <summary>Whether staging and the raw disk were kept in memory (<see cref="RebuildOptions.MemoryDirectory"/>).</summary>
    public bool WorkInMemory { get; init; }
}
