using System.Text;
using System.Text.Unicode;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>ChannelAttribution's path table: path "a > b > c", total_conversions, total_conversion_value, total_null.</summary>
public static class PathUpload
{
    public static readonly TableSchema Schema = new(
        ["path", "total_conversions", "total_conversion_value", "total_null"],
        ["path", "total_conversions"]);

    /// <summary>A plain CSV body's rows may be as long as any CSV record the row reader takes (its limit is in characters, so this is safe).</summary>
    private static readonly PlainRows Plain = new(CsvRowSource.MaxRecordBytes, InputRow.MaxMagnitude);

    /// <summary>
    /// The rows of a path upload. A plain CSV body (the common case) is read by <see cref="PathTableReader"/>, the reader of
    /// path files, over its bytes in parallel; any other body, and any body with a problem, goes to the row reader, whose
    /// checks and messages are the route's.
    /// </summary>
    public static async Task<List<PathRecord>> ReadAsync(HttpRequest request, BatchReader reader, long maxBytes)
    {
        if (await Upload.BufferCsvAsync(request, maxBytes) is { } body && TryPlain(body) is { } rows) return rows;
        return await reader.ReadAsync(request, Schema, Parse, p => p.Path, "path");
    }

    /// <summary>The rows of a plain CSV body, or null when the body has anything for the row reader to judge.</summary>
    internal static List<PathRecord>? TryPlain(ReadOnlyMemory<byte> body)
    {
        ByteSource source = (offset, buffer) =>
        {
            var n = (int)Math.Min(buffer.Length, body.Length - offset);
            body.Span.Slice((int)offset, n).CopyTo(buffer);
            return n;
        };
        if (!Utf8.IsValid(body.Span)) return null;
        var header = PathTableHeader.Read(source, body.Length);
        if (header.OtherEncoding || header.Text is null || PlainColumns(header.Text) is not { } columns) return null;
        var tallies = PathTableReader.Read(source, header.DataStart, body.Length, columns, Plain);
        if (tallies.Irregular) return null;
        var rows = new List<PathRecord>(tallies.Count);
        var seen = new HashSet<ChannelPath>();
        for (var i = 0; i < tallies.Count; i++)
        {
            var (bytes, count, conversions, value, nulls) = tallies[i];
            if (count != 1 || conversions + nulls == 0) return null;
            if (ChannelPath.TryParse(InputRow.Clean(Encoding.UTF8.GetString(bytes.Span)), out _) is not { } path || !seen.Add(path)) return null;
            rows.Add(new PathRecord(path, conversions, value, nulls));
        }
        return rows;
    }

    /// <summary>A header of comma-separated names, each a column of the route once, the required ones present; else null.</summary>
    private static PathColumns? PlainColumns(string header)
    {
        if (header.AsSpan().IndexOfAny("\";\t|\0") >= 0) return null;
        var names = header.Split(',');
        var at = new int[Schema.Columns.Count];
        Array.Fill(at, -1);
        for (var i = 0; i < names.Length; i++)
        {
            if (Schema.IndexOf(names[i]) is not { } column || at[column] >= 0) return null;
            at[column] = i;
        }
        foreach (var required in Schema.Required)
            if (at[Schema.IndexOf(required)!.Value] < 0) return null;
        return new PathColumns(names.Length, at[0], at[1], at[2], at[3]);
    }

    public static PathRecord Parse(InputRow r)
    {
        var text = r.Text("path");
        var path = ChannelPath.TryParse(text, out var reason);
        if (path is null) r.Fail("path", reason!, text);
        var conversions = r.Number("total_conversions", min: 0);
        var value = r.Number("total_conversion_value", 0, min: 0);
        var nulls = r.Number("total_null", 0, min: 0);
        if (!r.Failed && conversions + nulls == 0) r.Fail("total_null", "a path needs conversions or nulls (both are 0)");
        return new PathRecord(path ?? ChannelPath.Of("?"), conversions, value, nulls);
    }

    public static readonly IReadOnlyList<CsvColumn<PathRecord>> Columns =
    [
        CsvColumn<PathRecord>.Text("path", p => p.Path.ToString()),
        CsvColumn<PathRecord>.Count("total_conversions", p => p.TotalConversions),
        CsvColumn<PathRecord>.Money("total_conversion_value", p => p.TotalConversionValue),
        CsvColumn<PathRecord>.Count("total_null", p => p.TotalNull),
    ];
}
