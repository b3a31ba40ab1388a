namespace VmTeleport.Reporting.Results;

/// <summary>One measurement taken at both ends of the link (CPU seconds, peak RSS bytes); either may be unknown.</summary>
public sealed record EndPair(double? Source, double? Destination);
