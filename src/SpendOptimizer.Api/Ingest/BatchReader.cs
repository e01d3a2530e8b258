using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Reads a whole upload into typed rows, or fails with every row problem listed. Rows with the same key
/// inside one upload are an error: which one should win is the sender's call, not ours.
/// </summary>
public sealed class BatchReader(IOptions<SpendOptimizerOptions> options)
{
    public async Task<List<T>> ReadAsync<T, TKey>(HttpRequest request, TableSchema schema, Func<InputRow, T> parse, Func<T, TKey> key, string keyName)
        where TKey : notnull =>
        (await ReadPositionedAsync(request, schema, parse, key, keyName)).ConvertAll(p => p.Value);

    /// <summary>As <see cref="ReadAsync"/>, each row with where it was in the upload, for checks that can only be made against stored data.</summary>
    public async Task<List<Positioned<T>>> ReadPositionedAsync<T, TKey>(HttpRequest request, TableSchema schema, Func<InputRow, T> parse, Func<T, TKey> key,
        string keyName) where TKey : notnull
    {
        var errors = new RowErrors(options.Value.MaxReportedErrors);
        var rows = new List<Positioned<T>>();
        var firstSeen = new Dictionary<TKey, (long Row, long? Line)>();
        await using var source = await Upload.OpenAsync(request, schema, options.Value.MaxBodyBytes);
        var row = new InputRow(schema, errors);
        while (await source.ReadAsync(row, request.HttpContext.RequestAborted))
        {
            var value = parse(row);
            if (row.Failed) continue;
            if (firstSeen.TryGetValue(key(value), out var first))
            {
                var where = first.Line is { } line ? $"line {line}" : $"row {first.Row}";
                row.Fail(null, $"duplicate key: same {keyName} as {where} of this upload");
                continue;
            }
            firstSeen[key(value)] = (row.Row, row.Line);
            rows.Add(new Positioned<T>(value, row.Row, row.Line));
        }
        errors.ThrowIfAny();
        return rows;
    }
}

/// <summary>A parsed row and its place in the upload (see <see cref="RowError"/> for how rows and lines count).</summary>
public sealed record Positioned<T>(T Value, long Row, long? Line);
