namespace VmTeleport.Reporting.Summary;

/// <summary>The median of a measurement over runs, with its range and the number of runs that had it.</summary>
public sealed record Statistic(double Median, double Min, double Max, int Count)
{
    /// <summary>The statistic of the known values; null when no run had one.</summary>
    public static Statistic? Of(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Statistic(median, sorted[0], sorted[^1], sorted.Length);
    }
}
