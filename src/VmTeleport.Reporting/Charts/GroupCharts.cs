namespace VmTeleport.Reporting.Charts;

/// <summary>The charts of one source at one rate; a chart is null when no run measured what it shows.</summary>
public sealed record GroupCharts(RenderedChart? Wire, RenderedChart? Seconds, RenderedChart? Phases)
{
    public IEnumerable<RenderedChart> All => new[] { Wire, Seconds, Phases }.OfType<RenderedChart>();
}
