using SpendOptimizer.Core.Calendar;

namespace SpendOptimizer.Core.Tests.Calendar;

public class WeeksTests
{
    [Theory]
    [InlineData("2026-11-30", DayOfWeek.Monday, "2026-11-30")] // a Monday starts its own week
    [InlineData("2026-12-06", DayOfWeek.Monday, "2026-11-30")] // Sunday belongs to the week before
    [InlineData("2026-12-02", DayOfWeek.Monday, "2026-11-30")]
    [InlineData("2026-12-02", DayOfWeek.Sunday, "2026-11-29")]
    [InlineData("2026-12-05", DayOfWeek.Saturday, "2026-12-05")]
    public void A_week_starts_on_its_first_day(string day, DayOfWeek first, string start) =>
        Assert.Equal(DateOnly.Parse(start), Weeks.StartOf(DateOnly.Parse(day), first));

    [Theory]
    [InlineData("2026-11-30", DayOfWeek.Monday, "2026-11-30")] // on the week's first day the coming week is this one
    [InlineData("2026-12-06", DayOfWeek.Monday, "2026-12-07")]
    [InlineData("2026-12-01", DayOfWeek.Monday, "2026-12-07")]
    [InlineData("2026-12-01", DayOfWeek.Sunday, "2026-12-06")]
    public void The_coming_week_is_the_first_that_has_not_started(string today, DayOfWeek first, string planned) =>
        Assert.Equal(DateOnly.Parse(planned), Weeks.Coming(DateOnly.Parse(today), first));

    [Theory]
    [InlineData("2026-11-30", "2026-11-23", null)] // a week's gap is the normal wait for the next plan
    [InlineData("2026-11-30", "2026-11-22", 8)]
    [InlineData("2026-11-30", "2026-10-31", 30)]
    public void Data_older_than_a_week_before_the_planned_week_is_said_with_its_age(string week, string last, int? days)
    {
        var said = Weeks.Staleness(DateOnly.Parse(week), DateOnly.Parse(last));
        if (days is null) Assert.Empty(said);
        else Assert.StartsWith($"the latest loaded data is {days} days older than the planned week {week} (last day {last})", Assert.Single(said));
    }

    [Fact]
    public void No_data_at_all_is_not_called_old() => Assert.Empty(Weeks.Staleness(new DateOnly(2026, 11, 30), null));

    [Fact]
    public void Dates_outside_the_bounds_are_refused_and_the_bounds_themselves_kept()
    {
        Assert.True(DateBounds.Contains(new DateOnly(1900, 1, 1)));
        Assert.True(DateBounds.Contains(new DateOnly(2199, 12, 31)));
        Assert.False(DateBounds.Contains(new DateOnly(1899, 12, 31)));
        Assert.False(DateBounds.Contains(new DateOnly(2200, 1, 1)));
    }
}
