namespace VmTeleport.Reporting.Results;

/// <summary>
/// One measured run: one line of the results file (docs/report.md). Every measurement may be
/// missing; only the source, scenario and method that place the run are required.
/// </summary>
public sealed record BenchmarkRun
{
    /// <summary>Scenario of a method that does not depend on the destination (plain copies): it belongs in every scenario.</summary>
    public const string AnyScenario = "any";

    /// <summary>The rate of a run whose link was not shaped, and of a line that names none.</summary>
    public const string Unshaped = "none";

    public required string Source { get; init; }

    public required string Scenario { get; init; }

    public required string Rate { get; init; }

    public required string Method { get; init; }

    /// <summary>Where the run was read: FILE:LINE, for messages.</summary>
    public required string Origin { get; init; }

    public int? Run { get; init; }

    public int? Exit { get; init; }

    /// <summary>End-to-end wall seconds.</summary>
    public double? Seconds { get; init; }

    /// <summary>Wall seconds per phase, in the order the line gives them.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Phases { get; init; } = [];

    /// <summary>Bytes on the link, from the interface counters.</summary>
    public double? WireBytes { get; init; }

    /// <summary>Compressed size of the source content found nowhere at the destination.</summary>
    public double? LowerBoundBytes { get; init; }

    public EndPair? CpuSeconds { get; init; }

    public EndPair? PeakRssBytes { get; init; }

    /// <summary>Whether the result verified exact; null for methods that cannot tell.</summary>
    public bool? Exact { get; init; }

    public RunDecision? Decision { get; init; }

    /// <summary>The run failed (exit code other than 0) or its result is known not to be exact.</summary>
    public bool Flawed => (Exit is int code && code != 0) || Exact == false;
}
