namespace SpendOptimizer.Core.Calendar;

/// <summary>Weeks run Monday to Sunday; plans are made for the week after the last data.</summary>
public static class Weeks
{
    /// <summary>The Monday that starts the week of <paramref name="d"/>.</summary>
    public static DateOnly Start(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));

    /// <summary>The first Monday after <paramref name="d"/>: the week a plan made on data up to <paramref name="d"/> is for.</summary>
    public static DateOnly NextMonday(DateOnly d)
    {
        var days = ((int)DayOfWeek.Monday - (int)d.DayOfWeek + 7) % 7;
        return d.AddDays(days == 0 ? 7 : days);
    }
}
