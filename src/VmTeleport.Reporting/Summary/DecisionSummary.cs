namespace VmTeleport.Reporting.Summary;

/// <summary>
/// What the automatic runs of one scenario decided: the method most of them chose, how many of
/// the runs that reported a decision chose it, and the reason the first of them gave.
/// </summary>
public sealed record DecisionSummary(string Method, string? Reason, int Agreeing, int Runs, double? BandwidthBytesPerSecond);
