using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Tests;

public sealed class LinkRateTests
{
    [Theory]
    [InlineData("80mbit", 10e6)]
    [InlineData("1gbit", 125e6)]
    [InlineData("500kbit", 62.5e3)]
    [InlineData("10mbps", 10e6)]
    public void Tc_rates_are_bytes_per_second(string rate, double bytesPerSecond)
    {
        Assert.Equal(bytesPerSecond, LinkRate.BytesPerSecond(rate)!.Value, 6);
    }

    [Fact]
    public void Only_80mbit_is_the_10_MB_per_second_of_the_time_goal()
    {
        Assert.True(LinkRate.IsTenMegabytesPerSecond("80mbit"));
        Assert.False(LinkRate.IsTenMegabytesPerSecond("none"));
        Assert.False(LinkRate.IsTenMegabytesPerSecond("1gbit"));
        Assert.Null(LinkRate.BytesPerSecond("none"));
        Assert.Equal("80mbit (10 MB/s)", LinkRate.Describe("80mbit"));
        Assert.Equal("unshaped", LinkRate.Describe("none"));
    }
}
