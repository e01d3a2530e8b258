using System.Globalization;

namespace SpendOptimizer.Api.Csv;

/// <summary>One output column: a stable name and how a row's value is written.</summary>
public sealed record CsvColumn<T>(string Name, Func<T, string?> Value, bool IsText = false)
{
    public static CsvColumn<T> Text(string name, Func<T, string?> value) => new(name, value, IsText: true);

    public static CsvColumn<T> Number(string name, Func<T, double?> value) =>
        new(name, r => value(r)?.ToString("R", CultureInfo.InvariantCulture));

    public static CsvColumn<T> Integer(string name, Func<T, long?> value) =>
        new(name, r => value(r)?.ToString(CultureInfo.InvariantCulture));

    public static CsvColumn<T> Date(string name, Func<T, DateOnly> value) =>
        new(name, r => value(r).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static CsvColumn<T> Timestamp(string name, Func<T, DateTimeOffset> value) =>
        new(name, r => value(r).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
