using System.Globalization;

namespace SpendOptimizer.Api.Csv;

/// <summary>
/// What a column holds, declared once with the column: it decides how CSV writes the value (a fixed number of
/// decimals, invariant culture) and how a workbook shows it (a number format over the full-precision number).
/// </summary>
public enum CellKind
{
    Text,
    /// <summary>A day: yyyy-MM-dd.</summary>
    Date,
    /// <summary>An instant in UTC: yyyy-MM-ddTHH:mm:ss.fffffffZ (trailing zeros of the fraction dropped).</summary>
    Timestamp,
    /// <summary>A whole count: impressions, clicks, days.</summary>
    Integer,
    /// <summary>An amount of the workspace's currency: 2 decimals.</summary>
    Money,
    /// <summary>Conversions, customers and other expected quantities (fractional expectations): 2 decimals.</summary>
    Count,
    /// <summary>A fraction or probability, 0.2 meaning 20%: 4 decimals; a percentage in a workbook.</summary>
    Share,
    /// <summary>ROAS, CLV:CAC, z-scores: 2 decimals.</summary>
    Ratio,
    /// <summary>Multipliers and estimates near 1: incrementality factors, their sd and bounds, caution weights: 4 decimals.</summary>
    Factor,
    /// <summary>A duration in months (payback): 2 decimals.</summary>
    Months,
    /// <summary>A return per unit of spend (marginal returns, slopes), often far below 0.01: 6 decimals.</summary>
    Rate,
    /// <summary>A configured value written as configured (shortest round-trip form), for bounds such as 1e-15.</summary>
    Exact,
}

/// <summary>The rules of each <see cref="CellKind"/>: CSV text and workbook number format.</summary>
public static class CellKinds
{
    public static int? Decimals(CellKind kind) => kind switch
    {
        CellKind.Money or CellKind.Count or CellKind.Ratio or CellKind.Months => 2,
        CellKind.Share or CellKind.Factor => 4,
        CellKind.Rate => 6,
        CellKind.Integer => 0,
        _ => null,
    };

    public static bool IsNumber(CellKind kind) => kind is not (CellKind.Text or CellKind.Date or CellKind.Timestamp);

    /// <summary>A number as CSV writes it for <paramref name="kind"/>.</summary>
    public static string Format(CellKind kind, double value)
    {
        if (kind == CellKind.Exact || !double.IsFinite(value)) return value.ToString("R", CultureInfo.InvariantCulture);
        var decimals = Decimals(kind)!.Value;
        // Half away from zero, as a spreadsheet shows 0.125 at 2 decimals (0.13); "F" alone would round it to even.
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        // -0.001 rounds to -0, which would print as "-0.00".
        return (rounded == 0 ? 0 : rounded).ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>Any value a column reads, as CSV text (null: an empty field).</summary>
    public static string? Format(CellKind kind, object? value) => value switch
    {
        null => null,
        string s => s,
        double d => Format(kind, d),
        long l => l.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"a {kind} column cannot hold a {value.GetType().Name}", nameof(value)),
    };

    /// <summary>
    /// The spreadsheet number format of <paramref name="kind"/>; money carries the ISO 4217 code, e.g. <c>[$EUR] #,##0.00</c>,
    /// so a sheet of one currency is never read as another.
    /// </summary>
    public static string ExcelFormat(CellKind kind, string currency) => kind switch
    {
        CellKind.Money => $"[${CurrencyCode(currency)}] #,##0.00",
        CellKind.Count => "#,##0.00",
        CellKind.Integer => "#,##0",
        CellKind.Share => "0.00%",
        CellKind.Ratio or CellKind.Months => "0.00",
        CellKind.Factor => "0.0000",
        CellKind.Rate => "0.000000",
        CellKind.Date => "yyyy-mm-dd",
        CellKind.Timestamp => "yyyy-mm-dd hh:mm:ss",
        _ => "General",
    };

    /// <summary>Three letters, upper-cased; anything else would break the number format it is put in.</summary>
    public static string CurrencyCode(string currency) =>
        currency.Length == 3 && currency.All(char.IsAsciiLetter)
            ? currency.ToUpperInvariant()
            : throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code", nameof(currency));
}
