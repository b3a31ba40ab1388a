namespace VmTeleport.Reporting.Results;

/// <summary>A results file: its optional meta line (free-form keys, in file order) and its runs in file order.</summary>
public sealed record BenchmarkResults(
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Meta,
    IReadOnlyList<BenchmarkRun> Runs);
