using System.Globalization;
using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Document;

/// <summary>
/// How the report writes numbers: MB (10^6 bytes) and seconds with one decimal, ratios with two,
/// a median followed by its range when the runs differ; "–" for what was not measured.
/// </summary>
public static class ReportFormat
{
    public const string Missing = "–";
    public const string Met = "✓";
    public const string NotMet = "✗";

    /// <summary>
    /// One decimal; below 0.1 MB two significant digits instead ("0.015"), so that the kilobytes
    /// a teleport between identical images sends do not read as nothing.
    /// </summary>
    public static string Megabytes(double bytes)
    {
        var mb = bytes / 1e6;
        if (mb > 0 && mb < 0.05)
        {
            var decimals = Math.Min(9, 1 - (int)Math.Floor(Math.Log10(mb)));
            return mb.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return One(mb);
    }

    public static string Seconds(double seconds) => One(seconds);

    /// <summary>"51.8" or, when the runs differ, "51.8 (50.1–53.0)"; the statistic in MB when <paramref name="bytes"/>.</summary>
    public static string Median(Statistic? statistic, bool bytes)
    {
        if (statistic is null)
        {
            return Missing;
        }

        Func<double, string> f = bytes ? Megabytes : Seconds;
        var median = f(statistic.Median);
        var (min, max) = (f(statistic.Min), f(statistic.Max));
        return min == max ? median : $"{median} ({min}–{max})";
    }

    /// <summary>Only the median, one decimal (phase tables).</summary>
    public static string MedianOnly(Statistic? statistic, bool bytes) =>
        statistic is null ? Missing : bytes ? Megabytes(statistic.Median) : Seconds(statistic.Median);

    /// <summary>"1.08 ✓", "1.50 ✗", "0.43 (not judged)" or "–".</summary>
    public static string Ratio(GoalRatio ratio)
    {
        if (ratio.Value is not double value)
        {
            return Missing;
        }

        var text = value.ToString("0.00", CultureInfo.InvariantCulture);
        return ratio.Met switch
        {
            true => $"{text} {Met}",
            false => $"{text} {NotMet}",
            null => $"{text} (not judged)",
        };
    }

    public static string Goal(double goal) => "≤ " + goal.ToString("0.00", CultureInfo.InvariantCulture);

    private static string One(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
