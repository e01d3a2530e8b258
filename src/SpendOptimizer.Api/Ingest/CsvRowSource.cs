using SpendOptimizer.Api.Errors;
using Sylvan.Data.Csv;

namespace SpendOptimizer.Api.Ingest;

/// <summary>Streams CSV records (RFC 4180, header row required, delimiter detected) without holding the file.</summary>
public sealed class CsvRowSource : IRowSource
{
    /// <summary>The longest record read (the reader's buffer, in characters).</summary>
    internal const int MaxRecordBytes = 1 << 20;

    /// <summary>The delimiters the reader detects.</summary>
    private static readonly char[] Separators = [',', ';', '\t', '|'];

    private readonly CsvDataReader _reader;
    private readonly IReadOnlyList<string> _names;
    private readonly int?[] _map;
    private long _row;

    private CsvRowSource(CsvDataReader reader, int?[] map, IReadOnlyList<string> names)
    {
        _names = names;
        _reader = reader;
        _map = map;
    }

    public static async Task<CsvRowSource> OpenAsync(TextReader text, TableSchema schema, int maxReportedErrors, CancellationToken ct)
    {
        // A header can name each column once, so one with far more fields than the route has columns is refused before the
        // parser builds a column for each of them (a line of a million commas would take hundreds of MB). The fields are
        // tallied as the line is read, for each separator the reader could detect, and the line is not kept once it is
        // certain to be refused.
        var tallies = Separators.Select(c => new HeaderTally(c, schema)).ToArray();
        var most = schema.Columns.Count + maxReportedErrors;
        var replay = await PrefixedReader.OpenAsync(text, MaxRecordBytes, piece =>
        {
            foreach (var t in tallies) t.Add(piece);
            return tallies.Max(t => t.Fields) <= most;
        }, ct);
        if (replay is null)
        {
            // The separator the reader would detect is the commonest one; every field that names no column of the route is
            // one too many: the first are listed, all are counted.
            var widest = tallies.MaxBy(t => t.Fields)!;
            widest.End();
            var fields = widest.Fields;
            var excess = Enumerable.Range(widest.Named.Count, maxReportedErrors)
                .Select(i => new RowError(null, 1, $"field {i + 1:N0}", $"is one of {fields:N0} fields; this route has {schema.Columns.Count} columns")).ToList();
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid header",
                $"The CSV header has {fields:N0} fields; this route has {schema.Columns.Count} columns ({schema.Describe()}). Nothing was stored.",
                excess, fields - widest.Named.Count);
        }
        CsvDataReader reader;
        try
        {
            reader = await CsvDataReader.CreateAsync(replay, new CsvDataReaderOptions { HasHeaders = true, MaxBufferSize = MaxRecordBytes }, ct);
        }
        catch (Exception e) when (e is CsvFormatException or CsvMissingHeadersException)
        {
            throw BadFile(e, null);
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
        return new CsvRowSource(reader, map, schema.Columns);
    }

    public async ValueTask<bool> ReadAsync(InputRow row, CancellationToken ct)
    {
        try
        {
            if (!await _reader.ReadAsync(ct)) return false;
        }
        catch (CsvFormatException e)
        {
            throw BadFile(e, _map);
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

    /// <summary>
    /// The CSV library's own messages name its settings and count records its way; a caller gets the line and column in
    /// the service's words instead.
    /// </summary>
    private ProblemException BadFile(Exception e, int?[]? map) => BadFile(e, map is null ? null : i => map[i] is { } t ? _names[t] : null);

    private static ProblemException BadFile(Exception e, Func<int, string?>? columnOf)
    {
        if (e is CsvMissingHeadersException)
            return new(StatusCodes.Status400BadRequest, "Malformed CSV", "The CSV is empty: the first line must name the columns. Nothing was stored.",
                [new RowError(null, 1, null, "the header line is missing")]);
        var f = (CsvFormatException)e;
        // The library numbers records from 0 for the header; the file's lines count the header as line 1.
        long? line = f.RowNumber >= 0 ? f.RowNumber + 1 : null;
        var column = f.FieldOrdinal >= 0 ? columnOf?.Invoke(f.FieldOrdinal) ?? $"field {f.FieldOrdinal + 1}" : null;
        var reason = f switch
        {
            CsvRecordTooLargeException => $"is longer than {MaxRecordBytes / 1024:N0} KB, more than any record of this route can be",
            CsvInvalidCharacterException => "has a character after a closing quote; quote the whole field and double any quote inside it (\"\")",
            _ => "is not well-formed CSV (RFC 4180): check the quotes of this record",
        };
        var where = (line is null ? "a record" : $"line {line}") + (column is null ? "" : $", column {column}");
        return new(StatusCodes.Status400BadRequest, "Malformed CSV", $"The CSV could not be read: {where} {reason}. Nothing was stored.",
            [new RowError(null, line, column, reason)]);
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
