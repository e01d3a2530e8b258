using System.Globalization;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// One row of an upload with typed, validating getters. A getter that cannot read its field records
/// a <see cref="RowError"/> naming the column and returns a placeholder, so every problem of a row is reported at once.
/// </summary>
public sealed class InputRow(TableSchema schema, RowErrors errors)
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd"];
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    internal readonly string?[] Values = new string?[schema.Columns.Count];
    private long _errorsBefore;

    public long Row { get; private set; }
    public long? Line { get; private set; }

    /// <summary>True when any getter on this row has failed.</summary>
    public bool Failed => errors.Count > _errorsBefore;

    internal void Reset(long row, long? line)
    {
        Array.Clear(Values);
        Row = row;
        Line = line;
        _errorsBefore = errors.Count;
    }

    public void Fail(string? column, string reason, string? value = null) =>
        errors.Add(new RowError(Row, Line, column, reason, value));

    /// <summary>
    /// Called by a row source once the row's values are in: NUL characters cannot be stored in PostgreSQL text and are
    /// never meant, so a value carrying one fails the row here, whatever the column's type.
    /// </summary>
    internal void CheckValues()
    {
        for (var i = 0; i < Values.Length; i++)
            if (Values[i] is { } v && v.Contains('\0'))
                Fail(schema.Columns[i], "contains a NUL character", v.Replace("\0", "\\0"));
    }

    public string? Text(string column) => Clean(Values[schema.IndexOf(column)!.Value]);

    /// <summary>A field as the getters read it: trimmed, and null when blank.</summary>
    internal static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    public string RequiredText(string column, int maxLength = 200)
    {
        var v = Text(column);
        if (v is null) Fail(column, "is required");
        else if (v.Length > maxLength) Fail(column, $"is longer than {maxLength} characters", v[..40] + "…");
        return v ?? "";
    }

    public string Channel(string column = "channel")
    {
        var v = Text(column);
        if (v is null) { Fail(column, "is required"); return ""; }
        if (ChannelName.Validate(v) is { } reason) Fail(column, reason, v);
        return v;
    }

    /// <summary>
    /// No number of an upload is larger than this in size (money, conversions, counts alike): a trillion is beyond any
    /// advertiser's week, and sums of millions of such rows, their squares and products stay far inside a double's range,
    /// so no total the service computes can overflow. Columns may bound themselves tighter.
    /// </summary>
    public const double MaxMagnitude = 1e12;

    public double? OptionalNumber(string column, double min = -MaxMagnitude, double max = MaxMagnitude)
    {
        var v = Text(column);
        if (v is null) return null;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            Fail(column, "is not a number (use digits with '.' as the decimal point)", v);
            return null;
        }
        if (d < min) { Fail(column, min == 0 ? "must not be negative" : $"must be ≥ {Show(min)}", v); return null; }
        if (d > max) { Fail(column, $"must be ≤ {Show(max)}", v); return null; }
        return d;
    }

    private static string Show(double limit) =>
        Math.Abs(limit) >= 1e6 ? limit.ToString("0e0", CultureInfo.InvariantCulture) : limit.ToString(CultureInfo.InvariantCulture);

    public double Number(string column, double? defaultValue = null, double min = -MaxMagnitude, double max = MaxMagnitude)
    {
        if (Text(column) is null)
        {
            if (defaultValue is { } d) return d;
            Fail(column, "is required");
            return 0;
        }
        return OptionalNumber(column, min, max) ?? 0;
    }

    public long Count(string column)
    {
        var v = Text(column);
        if (v is null) return 0;
        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            // Exports often write counts as "1200.0"; accept whole numbers written that way.
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15)
                n = (long)d;
            else
            {
                Fail(column, "is not a whole number", v);
                return 0;
            }
        }
        if (n < 0) Fail(column, "must not be negative", v);
        else if (n > MaxMagnitude) Fail(column, $"must be ≤ {Show(MaxMagnitude)}", v);
        return n;
    }

    public DateOnly Date(string column)
    {
        var v = Text(column);
        if (v is null) { Fail(column, "is required"); return default; }
        if (!DateOnly.TryParseExact(v, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            Fail(column, "unknown date format; use ISO 8601 yyyy-MM-dd", v);
        else if (!DateBounds.Contains(d)) Fail(column, $"is outside {DateBounds.Describe()}", v);
        else return d;
        return default;
    }

    /// <summary>ISO 8601 date and time; without an offset the time is taken as UTC.</summary>
    public DateTimeOffset Timestamp(string column)
    {
        var v = Text(column);
        if (v is null) { Fail(column, "is required"); return default; }
        var fast = IsoTimestamp.TryParse(v, out var t, out var problem);
        if (problem is not null) Fail(column, problem, v);
        else if (!fast && !DateTimeOffset.TryParseExact(v, TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t))
            Fail(column, "unknown timestamp format; use ISO 8601 such as 2025-03-01T14:05:00Z", v);
        else if (!DateBounds.Contains(DateOnly.FromDateTime(t.UtcDateTime)))
            Fail(column, $"is outside {DateBounds.Describe()}", v);
        else return t;
        return default;
    }

    public TEnum Choice<TEnum>(string column, TEnum? defaultValue = null) where TEnum : struct, Enum
    {
        var v = Text(column);
        if (v is null)
        {
            if (defaultValue is { } d) return d;
            Fail(column, "is required");
            return default;
        }
        var names = Enum.GetNames<TEnum>();
        for (var i = 0; i < names.Length; i++)
            if (string.Equals(names[i], v, StringComparison.OrdinalIgnoreCase)) return Enum.GetValues<TEnum>()[i];
        Fail(column, "must be one of " + string.Join(", ", names.Select(n => n.ToLowerInvariant())), v);
        return default;
    }
}
