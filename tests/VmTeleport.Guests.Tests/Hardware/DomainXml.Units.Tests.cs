using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>formatdomain.html "Memory Allocation" units, and libvirt's rounding up to KiB.</summary>
public sealed class DomainXmlUnitsTests
{
    private static long? Memory(string value, string? unit)
    {
        string attr = unit is null ? "" : $" unit='{unit}'";
        string xml = DomainSamples.BiosI440fx.With("<memory unit='KiB'>4194304</memory>", $"<memory{attr}>{value}</memory>");
        return DomainXml.Parse(xml, "units.xml").MemoryBytes;
    }

    [Theory]
    [InlineData("1024", null, 1024L * 1024)] // KiB is the default
    [InlineData("2048", "b", 2048L)]
    [InlineData("2048", "bytes", 2048L)]
    [InlineData("2", "KB", 2000L + 48)] // 2000 bytes rounds up to 2 KiB
    [InlineData("3", "k", 3L * 1024)]
    [InlineData("3", "KiB", 3L * 1024)]
    [InlineData("5", "MB", 5_000_000L + 192)] // 4882.8125 KiB -> 4883 KiB
    [InlineData("5", "M", 5L << 20)]
    [InlineData("5", "MiB", 5L << 20)]
    [InlineData("2", "GB", 2_000_000_000L)] // a whole number of KiB already (1953125)
    [InlineData("2", "G", 2L << 30)]
    [InlineData("2", "GiB", 2L << 30)]
    [InlineData("1", "TB", 1_000_000_000_000L)]
    [InlineData("1", "T", 1L << 40)]
    [InlineData("1", "TiB", 1L << 40)]
    [InlineData("7", "PiB", 7L << 50)]
    [InlineData("1", "EB", 1_000_000_000_000_000_000L)]
    [InlineData("2", "gib", 2L << 30)] // libvirt compares units case-insensitively
    [InlineData("2", "mb", 2_000_896L)]
    [InlineData(" 16 ", "MiB", 16L << 20)]
    public void Units_scale_like_libvirt(string value, string? unit, long bytes) =>
        Assert.Equal(bytes, Memory(value, unit));

    [Fact]
    public void Byte_counts_round_up_to_the_next_kib()
    {
        // libvirt reads 1000000001 b back as 976563 KiB (checked with the test driver below).
        Assert.Equal(976563L * 1024, Memory("1000000001", "b"));
        Assert.Equal(1024L, Memory("1", "b"));
        Assert.Equal(0L, Memory("0", "KiB"));
    }

    [Theory]
    [InlineData("8", "EiB")] // 2^63: one more than a long holds; libvirt says "numerical overflow" too
    [InlineData("18446744073709551615", "KiB")]
    [InlineData("9223372036854775807", "b")] // fits, but rounding up to KiB does not
    public void Overflow_is_invalid_data(string value, string unit)
    {
        var e = Assert.Throws<InvalidDataException>(() => Memory(value, unit));
        Assert.Contains("units.xml", e.Message);
        Assert.Contains("<memory>", e.Message);
        Assert.Contains("line ", e.Message);
    }

    [Theory]
    [InlineData("4", "kibibytes")]
    [InlineData("4", "Z")]
    [InlineData("4", "KiBB")]
    [InlineData("4", "KBi")]
    public void Unknown_units_are_refused(string value, string unit)
    {
        var e = Assert.Throws<InvalidDataException>(() => Memory(value, unit));
        Assert.Contains($"unknown unit '{unit}'", e.Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("4 GiB")]
    [InlineData("0x100")]
    [InlineData("1e6")]
    [InlineData("18446744073709551616")]
    public void Non_numbers_are_refused(string value)
    {
        var e = Assert.Throws<InvalidDataException>(() => Memory(value, "KiB"));
        Assert.Contains("is not an unsigned integer", e.Message);
    }

    [Fact]
    public void Line_numbers_point_at_the_element()
    {
        var e = Assert.Throws<InvalidDataException>(() => Memory("lots", "KiB"));
        int line = DomainSamples.BiosI440fx.Split('\n').ToList().FindIndex(l => l.Contains("<memory ", StringComparison.Ordinal)) + 1;
        Assert.StartsWith($"units.xml: line {line}: <memory>:", e.Message);
    }

    [Fact]
    public void Max_memory_for_hotplug()
    {
        string xml = DomainSamples.BiosI440fx.With("<memory unit='KiB'>", "<maxMemory slots='16' unit='GiB'>64</maxMemory><memory unit='KiB'>");
        Assert.Equal(64L << 30, DomainXml.Parse(xml, "x.xml").MaxMemoryBytes);
    }
}
