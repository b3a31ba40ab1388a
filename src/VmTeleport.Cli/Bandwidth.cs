using System.Globalization;
using System.Text.RegularExpressions;

namespace VmTeleport.Cli;

/// <summary>
/// A link rate as users write it: "10MB/s", "80mbit", "1.5GB/s", "500KiB/s", or plain bytes per
/// second. Decimal prefixes are powers of 1000 (network rates), binary ones (KiB, MiB, GiB) of
/// 1024; "bit" and "b" count bits, "B" bytes.
/// </summary>
public static partial class Bandwidth
{
    public const string Default = "10MB/s";

    public static double Parse(string text)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success || !double.TryParse(m.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new UsageException($"bandwidth \"{text}\" is not a rate such as 10MB/s, 80mbit or 1250000");
        }

        var prefix = m.Groups["p"].Value;
        double scale = prefix.ToUpperInvariant() switch
        {
            "" => 1,
            "K" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "KI" => 1024,
            "MI" => 1024 * 1024,
            "GI" => 1024.0 * 1024 * 1024,
            _ => throw new UsageException($"bandwidth \"{text}\": unknown prefix {prefix}"),
        };
        var unit = m.Groups["u"].Value;
        bool bits = unit is "bit" or "bits" or "b" || unit.Equals("bps", StringComparison.OrdinalIgnoreCase);
        return n * scale / (bits ? 8 : 1);
    }

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)\s*(?<p>[kKmMgG]i?)?(?<u>B|b|bit|bits|bps)?(/s)?$")]
    private static partial Regex Pattern();
}
