using Sylvan.Data.Csv;

namespace SpendOptimizer.Api.Ingest;

/// <summary>Streams CSV records (RFC 4180, header row required, delimiter detected) without holding the file.</summary>
public sealed class CsvRowSource : IRowSource
{
    private readonly CsvDataReader _reader;
    private readonly int?[] _map;
    private long _row;

    private CsvRowSource(CsvDataReader reader, int?[] map)
    {
        _reader = reader;
        _map = map;
    }

    public static async Task<CsvRowSource> OpenAsync(TextReader text, TableSchema schema, int maxReportedErrors, CancellationToken ct)
    {
        CsvDataReader reader;
        try
        {
            reader = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true, MaxBufferSize = 1 << 20 }, ct);
        }
        catch (CsvFormatException e)
        {
            throw BadFile(e);
        }
        var errors = new RowErrors(maxReportedErrors);
        var map = new int?[reader.FieldCount];
        var seen = new HashSet<int>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            map[i] = schema.IndexOf(name);
            if (map[i] is null) errors.Add(new RowError(null, 1, name, $"unknown column; expected {schema.Describe()}"));
            else if (!seen.Add(map[i]!.Value)) errors.Add(new RowError(null, 1, name, "column appears twice"));
        }
        foreach (var required in schema.Required)
            if (!seen.Contains(schema.IndexOf(required)!.Value))
                errors.Add(new RowError(null, 1, required, "missing column"));
        if (errors.Count > 0)
        {
            await reader.DisposeAsync();
            var shown = errors.Count > errors.Listed.Count ? $" ({errors.Count:N0} problems, the first {errors.Listed.Count} are listed)" : "";
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid header",
                $"The CSV header does not match this route's columns{shown}; nothing was stored.", errors.Listed, errors.Count);
        }
        return new CsvRowSource(reader, map);
    }

    public async ValueTask<bool> ReadAsync(InputRow row, CancellationToken ct)
    {
        try
        {
            if (!await _reader.ReadAsync(ct)) return false;
        }
        catch (CsvFormatException e)
        {
            throw BadFile(e);
        }
        _row++;
        // Sylvan counts data records from 1; the header is line 1 of the file.
        row.Reset(_row, _reader.RowNumber + 1);
        var n = Math.Min(_reader.RowFieldCount, _map.Length);
        for (var i = 0; i < n; i++)
            if (_map[i] is { } target) row.Values[target] = _reader.GetString(i);
        if (_reader.RowFieldCount > _map.Length)
            row.Fail(null, $"has {_reader.RowFieldCount} fields but the header has {_map.Length}");
        row.CheckValues();
        return true;
    }

    private static ProblemException BadFile(Exception e) =>
        new(StatusCodes.Status400BadRequest, "Malformed CSV", $"The CSV could not be read: {e.Message} Nothing was stored.");

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
