using Cronos;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Scheduling;

/// <summary>A cron read in a time zone: when runs are due, and which due times a late run folds together.</summary>
public sealed record ScheduleTiming(CronExpression Cron, TimeZoneInfo Zone)
{
    /// <summary>The timing, or errors by field for a cron or time zone that cannot be read.</summary>
    public static (ScheduleTiming? Timing, Dictionary<string, string[]> Errors) Parse(string? cron, string? timeZone)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(cron) || !CronExpression.TryParse(cron.Trim(), CronFormat.Standard, out var expression))
        {
            errors["cron"] = ["not a five-field cron (minute hour day-of-month month day-of-week), e.g. \"0 6 * * 1\" for Monday 06:00"];
            expression = null;
        }
        if (string.IsNullOrWhiteSpace(timeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            errors["time_zone"] = [$"'{timeZone}' is not a time zone; use an IANA name such as Europe/Berlin or America/New_York"];
            zone = null;
        }
        return (expression is null || zone is null ? null : new ScheduleTiming(expression, zone), errors);
    }

    /// <summary>The first due time after <paramref name="after"/>, in UTC as it is stored; null for a cron that never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => Cron.GetNextOccurrence(after, Zone)?.ToUniversalTime();

    /// <summary>
    /// A run at <paramref name="now"/> for a schedule owed since <paramref name="owed"/> serves the latest due time; the
    /// ones between are counted as missed rather than run one by one, since every run would plan the same coming week.
    /// </summary>
    public (DateTimeOffset DueAt, int Missed) Catch(DateTimeOffset owed, DateTimeOffset now)
    {
        var latest = Cron.GetPreviousOccurrence(now, Zone, inclusive: true) is { } p && p >= owed ? p : owed;
        return (latest.ToUniversalTime(), Cron.GetOccurrences(owed, latest, Zone, fromInclusive: true, toInclusive: false).Count());
    }

    /// <summary>
    /// The first local day within the coming year on which the cron fires more than once, or null when it never does.
    /// Bounded: until a second firing on one day is found, each firing is on a day of its own, so at most 367 are read.
    /// </summary>
    public DateOnly? FiresTwiceADay(DateTimeOffset from)
    {
        DateOnly? previous = null;
        foreach (var at in Cron.GetOccurrences(from, from.AddDays(366), Zone, fromInclusive: true, toInclusive: true))
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);
            if (day == previous) return day;
            previous = day;
        }
        return null;
    }

    public string Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
}
