namespace SpendOptimizer.Core.Calendar;

/// <summary>Dates and timestamps outside this range are refused: they are typing errors, and date arithmetic on them overflows.</summary>
public static class DateBounds
{
    public static readonly DateOnly Earliest = new(1900, 1, 1), Latest = new(2199, 12, 31);

    public static bool Contains(DateOnly d) => d >= Earliest && d <= Latest;

    /// <summary>The range in words, for a reason given back.</summary>
    public static string Describe() => $"{Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd}";
}
