using VmTeleport.Reporting.Document;
using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Tests;

public sealed class ReportFormatTests
{
    [Theory]
    [InlineData(51_755_125, "51.8")]
    [InlineData(50_000, "0.1")]
    [InlineData(15_000, "0.015")]
    [InlineData(1_234, "0.0012")]
    [InlineData(0, "0.0")]
    public void Megabytes_have_one_decimal_and_small_amounts_two_significant_digits(double bytes, string expected)
    {
        Assert.Equal(expected, ReportFormat.Megabytes(bytes));
    }

    [Fact]
    public void A_median_shows_its_range_only_when_runs_differ()
    {
        Assert.Equal("13.0 (12.0–14.0)", ReportFormat.Median(new Statistic(13e6, 12e6, 14e6, 3), bytes: true));
        Assert.Equal("21.0", ReportFormat.Median(new Statistic(21, 21, 21, 2), bytes: false));
        Assert.Equal("–", ReportFormat.Median(null, bytes: false));
    }

    [Fact]
    public void Ratios_show_two_decimals_and_whether_the_goal_is_met()
    {
        Assert.Equal("1.08 ✓", ReportFormat.Ratio(new GoalRatio(13, 12, 1.10)));
        Assert.Equal("1.50 ✗", ReportFormat.Ratio(new GoalRatio(3, 2, 1.10)));
        Assert.Equal("0.45 (not judged)", ReportFormat.Ratio(new GoalRatio(5, 11, 0.2, Judged: false)));
        Assert.Equal("–", ReportFormat.Ratio(new GoalRatio(5, null, 0.2)));
    }
}
