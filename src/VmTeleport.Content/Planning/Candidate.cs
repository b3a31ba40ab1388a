namespace VmTeleport.Content.Planning;

/// <summary>
/// One local image or snapshot as the base for rebuilding the source (the report's "pick
/// candidate"): the bytes that would still have to come from the source with it as the only
/// local data, and the packages that differ. <see cref="Pruned"/> candidates stopped early because
/// they could no longer beat the best; their <see cref="BytesNeeded"/> is a lower bound.
/// </summary>
public sealed record Candidate
{
    public required string Image { get; init; }

    public string? Snapshot { get; init; }

    public required string Kind { get; init; }

    public string? Distro { get; init; }

    public string? Version { get; init; }

    public required long BytesNeeded { get; init; }

    public bool Pruned { get; init; }

    /// <summary>name=version of source packages the candidate lacks or has in another version.</summary>
    public required IReadOnlyList<string> PackagesToAdd { get; init; }

    /// <summary>name=version of candidate packages the source does not have in that version.</summary>
    public required IReadOnlyList<string> PackagesToRemove { get; init; }
}
