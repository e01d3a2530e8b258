using System.Globalization;

namespace SpendOptimizer.Cli;

/// <summary>Writes CSV files with the same column names the API reads and answers.</summary>
public static class CsvOut
{
    public static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string N(double? value) => value is { } v ? N(v) : "";

    public static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    public static void Write<T>(string path, string header, IEnumerable<T> rows, Func<T, IEnumerable<string>> fields)
    {
        using var writer = new StreamWriter(path);
        writer.NewLine = "\n";
        writer.WriteLine(header);
        foreach (var row in rows) writer.WriteLine(string.Join(',', fields(row).Select(Quote)));
    }
}
