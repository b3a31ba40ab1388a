using VmTeleport.Reporting.Results;

namespace VmTeleport.Reporting.Summary;

/// <summary>
/// The runs of one method in one scenario at one source and rate, and their statistics.
/// <see cref="FromAnyScenario"/> marks runs of scenario "any" shown in this scenario.
/// </summary>
public sealed class MethodCell
{
    public MethodCell(string method, IReadOnlyList<BenchmarkRun> runs, bool fromAnyScenario)
    {
        Method = method;
        Runs = runs;
        FromAnyScenario = fromAnyScenario;
        WireBytes = Statistic.Of(runs.Select(r => r.WireBytes));
        Seconds = Statistic.Of(runs.Select(r => r.Seconds));
        CpuSourceSeconds = Statistic.Of(runs.Select(r => r.CpuSeconds?.Source));
        CpuDestinationSeconds = Statistic.Of(runs.Select(r => r.CpuSeconds?.Destination));
        PeakRssSourceBytes = Statistic.Of(runs.Select(r => r.PeakRssBytes?.Source));
        PeakRssDestinationBytes = Statistic.Of(runs.Select(r => r.PeakRssBytes?.Destination));
        PhaseNames = runs.SelectMany(r => r.Phases).Select(p => p.Key).Distinct(StringComparer.Ordinal).ToList();
        Phases = PhaseNames.ToDictionary(
            name => name,
            name => Statistic.Of(runs.Select(r => r.Phases.Where(p => p.Key == name).Select(p => (double?)p.Value).FirstOrDefault()))!,
            StringComparer.Ordinal);
    }

    public string Method { get; }

    public IReadOnlyList<BenchmarkRun> Runs { get; }

    public bool FromAnyScenario { get; }

    public Statistic? WireBytes { get; }

    public Statistic? Seconds { get; }

    public Statistic? CpuSourceSeconds { get; }

    public Statistic? CpuDestinationSeconds { get; }

    public Statistic? PeakRssSourceBytes { get; }

    public Statistic? PeakRssDestinationBytes { get; }

    /// <summary>Phase names in the order the runs give them.</summary>
    public IReadOnlyList<string> PhaseNames { get; }

    /// <summary>Wall seconds per phase over the runs that report it.</summary>
    public IReadOnlyDictionary<string, Statistic> Phases { get; }

    /// <summary>Some run failed or did not verify exact: the report marks the cell ✗.</summary>
    public bool Flawed => Runs.Any(r => r.Flawed);
}
