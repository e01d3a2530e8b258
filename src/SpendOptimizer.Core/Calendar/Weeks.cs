namespace SpendOptimizer.Core.Calendar;

/// <summary>Weeks that start on a chosen weekday: the one rule every weekly figure of a workspace follows.</summary>
public static class Weeks
{
    /// <summary>The first day of the week that holds <paramref name="day"/>.</summary>
    public static DateOnly StartOf(DateOnly day, DayOfWeek first) => day.AddDays(-(((int)day.DayOfWeek - (int)first + 7) % 7));

    /// <summary>The first day of the first week that has not started before <paramref name="today"/>: today itself on the week's first day.</summary>
    public static DateOnly Coming(DateOnly today, DayOfWeek first) => today.AddDays(((int)first - (int)today.DayOfWeek + 7) % 7);

    /// <summary>ISO weekday number, as PostgreSQL's extract(isodow): 1 Monday … 7 Sunday.</summary>
    public static int Iso(DayOfWeek day) => day == DayOfWeek.Sunday ? 7 : (int)day;

    public static DayOfWeek FromIso(int iso) => iso == 7 ? DayOfWeek.Sunday : (DayOfWeek)iso;

    /// <summary>Why a weekly row dated <paramref name="date"/> is not on its week's first day, or null when it is.</summary>
    public static string? NotAWeekStart(DateOnly date, DayOfWeek first) =>
        date.DayOfWeek == first ? null
            : $"{date:yyyy-MM-dd} is a {date.DayOfWeek}; weekly rows are dated on the week's first day, {first} {StartOf(date, first):yyyy-MM-dd}";

    /// <summary>
    /// A plan for a week long after the data it learned from rests on a market that may have moved: said when the loaded data
    /// ends more than a week before the planned week starts (a gap of a whole week or more with no data).
    /// </summary>
    public static IReadOnlyList<string> Staleness(DateOnly week, DateOnly? lastDay)
    {
        if (lastDay is not { } last || week.DayNumber - last.DayNumber <= 7) return [];
        return [$"the latest loaded data is {week.DayNumber - last.DayNumber} days older than the planned week {week:yyyy-MM-dd} (last day {last:yyyy-MM-dd}); " +
            "load the weeks since, or plan an earlier week"];
    }
}
