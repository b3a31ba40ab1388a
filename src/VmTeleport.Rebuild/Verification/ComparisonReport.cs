namespace VmTeleport.Rebuild.Verification;

/// <summary>The verdict of <see cref="ImageVerification"/>: exact only when nothing differs.</summary>
public sealed record ComparisonReport
{
    public required bool Exact { get; init; }
    public required string Mode { get; init; }
    public required long EntriesCompared { get; init; }
    public required long DifferenceCount { get; init; }

    /// <summary>Differences counted by field ("missing", "extra", "sha256", …).</summary>
    public required IReadOnlyDictionary<string, long> DifferencesByField { get; init; }

    /// <summary>The first differences, up to the cap the comparison was given.</summary>
    public required IReadOnlyList<Difference> Differences { get; init; }
}
