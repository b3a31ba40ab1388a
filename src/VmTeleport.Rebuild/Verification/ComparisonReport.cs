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

    /// <summary>
    /// A functional copy: nothing differs but what <see cref="FunctionalScope"/> allows (newer
    /// packages' files and their dpkg database entries), and something does.
    /// </summary>
    public bool Functional { get; init; }

    /// <summary>With a <see cref="FunctionalScope"/>: the differences it explains, counted (they are not in <see cref="DifferenceCount"/>).</summary>
    public long ExplainedDifferenceCount { get; init; }

    /// <summary>The first explained differences.</summary>
    public IReadOnlyList<Difference> ExplainedDifferences { get; init; } = [];

    /// <summary>The scope the comparison was given, if any.</summary>
    public FunctionalScope? Scope { get; init; }

    /// <summary>Exact, or functional when a scope was given.</summary>
    public bool Accepted => Exact || Functional;
}
