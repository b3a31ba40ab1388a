namespace VmTeleport.Guests.Hardware;

/// <summary>
/// libvirt's scaled integers: a number with a "unit" attribute (formatdomain.html, "Memory
/// Allocation"). The suffix rules are libvirt's virScaleInteger: "b", "byte" and "bytes" mean
/// 1; one letter (k, M, G, T, P, E) or a letter plus "iB" means powers of 1024; a letter plus
/// "B" means powers of 1000; all case-insensitive. Results above 2^63-1 bytes overflow, as
/// libvirt refuses them too.
/// </summary>
internal static class MemoryUnit
{
    /// <summary>Scales <paramref name="value"/> to bytes; no unit means <paramref name="defaultScale"/>.</summary>
    /// <exception cref="FormatException">The unit is not one libvirt knows.</exception>
    /// <exception cref="OverflowException">The result does not fit in a long.</exception>
    public static long ToBytes(ulong value, string? unit, ulong defaultScale)
    {
        ulong scale = string.IsNullOrEmpty(unit) ? defaultScale : ScaleOf(unit);
        if (value != 0 && value > (ulong)long.MaxValue / scale)
        {
            throw new OverflowException($"{value} {unit} is more than {long.MaxValue} bytes");
        }

        return (long)(value * scale);
    }

    /// <summary>
    /// Memory sizes: libvirt keeps them in KiB and rounds a byte count up to the next KiB
    /// (virDomainParseMemory), so 1000000001 b reads back as 976563 KiB. This does the same.
    /// </summary>
    public static long MemoryBytes(ulong value, string? unit)
    {
        long bytes = ToBytes(value, unit, 1024);
        long kib = (bytes / 1024) + (bytes % 1024 == 0 ? 0 : 1);
        return checked(kib * 1024);
    }

    private static ulong ScaleOf(string unit)
    {
        if (unit.Equals("b", StringComparison.OrdinalIgnoreCase)
            || unit.Equals("byte", StringComparison.OrdinalIgnoreCase)
            || unit.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        ulong power;
        if (unit.Length == 1 || (unit.Length == 3 && unit.AsSpan(1).Equals("iB", StringComparison.OrdinalIgnoreCase)))
        {
            power = 1024;
        }
        else if (unit.Length == 2 && char.ToLowerInvariant(unit[1]) == 'b')
        {
            power = 1000;
        }
        else
        {
            throw new FormatException($"unknown unit '{unit}'");
        }

        int exponent = char.ToLowerInvariant(unit[0]) switch
        {
            'k' => 1,
            'm' => 2,
            'g' => 3,
            't' => 4,
            'p' => 5,
            'e' => 6,
            _ => throw new FormatException($"unknown unit '{unit}'"),
        };

        ulong scale = 1;
        for (int i = 0; i < exponent; i++)
        {
            scale *= power;
        }

        return scale;
    }
}
