namespace SpendOptimizer.Api.Csv;

/// <summary>RFC 4180 writing, with spreadsheet formula injection defused in text cells.</summary>
public static class CsvFormat
{
    public static string Escape(string? value, bool isText)
    {
        if (value is null) return "";
        // A leading ' keeps it text.
        if (isText && StartsLikeFormula(value)) value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0) return value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>Excel and Sheets run a cell starting with = + - @ (or tab, CR before one) as a formula.</summary>
    public static bool StartsLikeFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static async Task WriteAsync<T>(TextWriter writer, IEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns) =>
        await WriteAsync(writer, rows.ToAsyncEnumerable(), columns);

    /// <summary>Writes rows as they come, so a list read page by page is never held whole.</summary>
    public static async Task WriteAsync<T>(TextWriter writer, IAsyncEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns)
    {
        await writer.WriteAsync(string.Join(',', columns.Select(c => c.Name)));
        await writer.WriteAsync("\r\n");
        await foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0) await writer.WriteAsync(',');
                await writer.WriteAsync(Escape(columns[i].Value(row), columns[i].IsText));
            }
            await writer.WriteAsync("\r\n");
        }
    }
}
