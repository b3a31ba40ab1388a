using System.Globalization;
using System.Text.RegularExpressions;

namespace VmTeleport.Reporting.Summary;

/// <summary>
/// The link rates benchmarks name as tc does (`80mbit`, `1gbit`, `500kbit`) or `none` for an
/// unshaped link. 80mbit = 10 MB/s (MB = 10^6 bytes).
/// </summary>
public static partial class LinkRate
{
    /// <summary>Bytes per second of a shaped rate; null for `none` and for names it does not know.</summary>
    public static double? BytesPerSecond(string rate)
    {
        var m = TcRate().Match(rate);
        if (!m.Success)
        {
            return null;
        }

        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToLowerInvariant();
        var multiplier = unit[0] switch { 'k' => 1e3, 'm' => 1e6, 'g' => 1e9, _ => 1.0 };
        return unit.EndsWith("bit", StringComparison.Ordinal) ? value * multiplier / 8 : value * multiplier;
    }

    /// <summary>The rate as a reader wants it: "80mbit (10 MB/s)", "unshaped".</summary>
    public static string Describe(string rate)
    {
        if (rate == Results.BenchmarkRun.Unshaped)
        {
            return "unshaped";
        }

        return BytesPerSecond(rate) is double bps
            ? string.Create(CultureInfo.InvariantCulture, $"{rate} ({bps / 1e6:0.##} MB/s)")
            : rate;
    }

    /// <summary>Whether the rate is 10 MB/s (80mbit), the rate the time goal is set for (within 1 %).</summary>
    public static bool IsTenMegabytesPerSecond(string rate) =>
        BytesPerSecond(rate) is double bps && Math.Abs(bps - 10e6) <= 0.01 * 10e6;

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps|b/s|kb/s|mb/s|gb/s)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TcRate();
}
