using SpendOptimizer.Api.Csv;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>Columns of PUT …/performance and of its list, and how one row is read.</summary>
public static class PerformanceUpload
{
    public static readonly TableSchema Schema = new(
        ["date", "channel", "spend", "impressions", "clicks", "conversions", "revenue", "new_customers"],
        ["date", "channel", "spend"]);

    /// <summary>A weekly row must be dated on the workspace's week start: any other day would open a second, overlapping week.</summary>
    public static PerformanceRow Parse(InputRow r, Grain grain, DayOfWeek weekStart) => new(
        WeekDated(r, grain, weekStart),
        r.Channel(),
        r.Number("spend", min: 0),
        r.Count("impressions"),
        r.Count("clicks"),
        r.Number("conversions", 0, min: 0),
        r.Number("revenue", 0, min: 0),
        r.Number("new_customers", 0, min: 0),
        grain);

    private static DateOnly WeekDated(InputRow r, Grain grain, DayOfWeek weekStart)
    {
        var date = r.Date("date"); // default when unreadable, and then already reported
        if (grain == Grain.Week && date != default && Weeks.NotAWeekStart(date, weekStart) is { } reason)
            r.Fail("date", reason, date.ToString("yyyy-MM-dd"));
        return date;
    }

    /// <summary>Why a row clashes with rows of the other grain already stored for its channel.</summary>
    public static string Clash(Grain grain, GrainClash c) => grain == Grain.Week
        ? $"'{c.Channel}' already has daily rows in this week ({(c.Count == 1 ? $"{c.First:yyyy-MM-dd}" : $"{c.Count} days, {c.First:yyyy-MM-dd} to {c.Last:yyyy-MM-dd}")}); " +
          "a channel's week is loaded either daily or weekly, never both, or it would be counted twice"
        : $"'{c.Channel}' already has a weekly row dated {c.First:yyyy-MM-dd} that covers this day; " +
          "a channel's week is loaded either daily or weekly, never both, or it would be counted twice";

    public static readonly IReadOnlyList<CsvColumn<PerformanceRow>> Columns =
    [
        CsvColumn<PerformanceRow>.Date("date", p => p.Date),
        CsvColumn<PerformanceRow>.Text("channel", p => p.Channel),
        CsvColumn<PerformanceRow>.Text("grain", p => p.Grain.ToString().ToLowerInvariant()),
        CsvColumn<PerformanceRow>.Money("spend", p => p.Spend),
        CsvColumn<PerformanceRow>.Integer("impressions", p => p.Impressions),
        CsvColumn<PerformanceRow>.Integer("clicks", p => p.Clicks),
        CsvColumn<PerformanceRow>.Count("conversions", p => p.Conversions),
        CsvColumn<PerformanceRow>.Money("revenue", p => p.Revenue),
        CsvColumn<PerformanceRow>.Count("new_customers", p => p.NewCustomers),
    ];
}
