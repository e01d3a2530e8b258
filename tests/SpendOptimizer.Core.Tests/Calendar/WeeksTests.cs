using SpendOptimizer.Core.Calendar;

namespace SpendOptimizer.Core.Tests.Calendar;

public class WeeksTests
{
    [Theory]
    [InlineData("2026-11-30", "2026-11-30")] // a Monday starts its own week
    [InlineData("2026-12-06", "2026-11-30")] // Sunday belongs to the week before
    [InlineData("2026-12-02", "2026-11-30")]
    public void A_week_starts_on_its_Monday(string day, string monday) =>
        Assert.Equal(DateOnly.Parse(monday), Weeks.Start(DateOnly.Parse(day)));

    [Theory]
    [InlineData("2026-11-30", "2026-12-07")] // data up to a Monday: the plan is for the Monday after
    [InlineData("2026-12-06", "2026-12-07")]
    [InlineData("2026-12-01", "2026-12-07")]
    public void The_next_planned_week_is_the_first_Monday_after_the_data(string last, string planned) =>
        Assert.Equal(DateOnly.Parse(planned), Weeks.NextMonday(DateOnly.Parse(last)));

    [Fact]
    public void Dates_outside_the_bounds_are_refused_and_the_bounds_themselves_kept()
    {
        Assert.True(DateBounds.Contains(new DateOnly(1900, 1, 1)));
        Assert.True(DateBounds.Contains(new DateOnly(2199, 12, 31)));
        Assert.False(DateBounds.Contains(new DateOnly(1899, 12, 31)));
        Assert.False(DateBounds.Contains(new DateOnly(2200, 1, 1)));
    }
}
