using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Tests;

public sealed class StatisticTests
{
    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_value_and_unknown_values_are_left_out()
    {
        Assert.Equal(new Statistic(110, 100, 120, 3), Statistic.Of([120, null, 100, 110]));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Equal(new Statistic(11, 10, 12, 2), Statistic.Of([12, 10]));
        Assert.Equal(2.5, Statistic.Of([4, 1, 3, 2])!.Median);
    }

    [Fact]
    public void No_known_value_is_no_statistic()
    {
        Assert.Null(Statistic.Of([null, null]));
        Assert.Null(Statistic.Of([]));
    }
}
