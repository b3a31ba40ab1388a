namespace VmTeleport.Reporting.Results;

/// <summary>
/// What `vmteleport` in auto mode chose for one run and why: the method (`teleport` or `copy`),
/// the cost model's reason, the bandwidth it assumed and its estimate per method.
/// </summary>
public sealed record RunDecision(
    string? Method,
    string? Reason,
    double? BandwidthBytesPerSecond,
    IReadOnlyDictionary<string, double> EstimatedSeconds);
