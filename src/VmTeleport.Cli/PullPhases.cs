using System.Diagnostics;

namespace VmTeleport.Cli;

/// <summary>Pull's phases as it runs them: each shown by the <see cref="PhaseDisplay"/> and timed for `--json`'s "seconds".</summary>
internal sealed class PullPhases(PhaseDisplay display)
{
    private readonly Stopwatch _total = Stopwatch.StartNew();

    public PhaseDisplay Display { get; } = display;

    public Dictionary<string, double> Seconds { get; } = new(StringComparer.Ordinal);

    public T Run<T>(string name, long size, Func<long>? done, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var value = Display.Phase(name, size, done, work);
        Seconds[name] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        return value;
    }

    /// <summary>Records "total": the seconds since the pull started.</summary>
    public void Finish() => Seconds["total"] = Math.Round(_total.Elapsed.TotalSeconds, 3);
}
