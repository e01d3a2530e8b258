namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Fast path for the common export shape "yyyy-MM-ddTHH:mm:ss" with 'Z' or ±hh:mm (or nothing, meaning UTC);
/// anything else falls back to the general parser. Journey files carry millions of timestamps.
/// </summary>
public static class IsoTimestamp
{
    /// <summary>Offsets in use run from -12:00 to +14:00; .NET and PostgreSQL refuse anything beyond ±14:00.</summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromHours(14);

    /// <param name="problem">Set when the shape is right but the value is not a representable instant (offset beyond ±14:00,
    /// or a UTC time outside year 1 to 9999); the general parser is not tried then.</param>
    public static bool TryParse(string s, out DateTimeOffset value, out string? problem)
    {
        value = default;
        problem = null;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
            return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
            return false;
        var offset = TimeSpan.Zero;
        if (s.Length == 20 && s[19] == 'Z') { }
        else if (s.Length == 25 && (s[19] == '+' || s[19] == '-') && s[22] == ':'
                 && Digits(s, 20, 2, out var oh) && Digits(s, 23, 2, out var om) && om < 60)
            offset = new TimeSpan(s[19] == '-' ? -oh : oh, s[19] == '-' ? -om : om, 0);
        else if (s.Length != 19) return false;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
            return false;
        if (offset.Duration() > MaxOffset)
        {
            problem = "has an offset beyond ±14:00";
            return false;
        }
        var utcTicks = new DateTime(year, month, day, hour, minute, second).Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            problem = "is not a representable instant once its offset is applied";
            return false;
        }
        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }
}
