using System.Text.Json;
using SpendOptimizer.Api.Errors;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Rows of a JSON array of objects whose property names are the CSV column names. JSON batches are
/// bounded by the route's body limit, so the document is parsed whole.
/// </summary>
public sealed class JsonRowSource : IRowSource
{
    private readonly JsonDocument _doc;
    private readonly TableSchema _schema;
    private JsonElement.ArrayEnumerator _items;
    private long _row;

    private JsonRowSource(JsonDocument doc, TableSchema schema)
    {
        _doc = doc;
        _schema = schema;
        _items = doc.RootElement.EnumerateArray();
    }

    public static async Task<JsonRowSource> OpenAsync(Stream body, TableSchema schema, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 8 }, ct);
        }
        catch (JsonException e)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The JSON could not be read at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}. Nothing was stored.");
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            doc.Dispose();
            throw new ProblemException(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The body must be a JSON array of objects with the properties {schema.Describe()}. Nothing was stored.");
        }
        return new JsonRowSource(doc, schema);
    }

    public ValueTask<bool> ReadAsync(InputRow row, CancellationToken ct)
    {
        if (!_items.MoveNext()) return ValueTask.FromResult(false);
        _row++;
        row.Reset(_row, null);
        var item = _items.Current;
        if (item.ValueKind != JsonValueKind.Object)
        {
            row.Fail(null, "is not a JSON object");
            return ValueTask.FromResult(true);
        }
        foreach (var property in item.EnumerateObject())
        {
            if (_schema.IndexOf(property.Name) is not { } index)
            {
                row.Fail(property.Name, $"unknown property; expected {_schema.Describe()}");
                continue;
            }
            row.Values[index] = property.Value.ValueKind switch
            {
                JsonValueKind.String => Text(row, property),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                JsonValueKind.Array => string.Join(';', property.Value.EnumerateArray().Select(Scalar)),
                _ => Invalid(row, property.Name),
            };
        }
        row.CheckValues();
        return ValueTask.FromResult(true);
    }

    /// <summary>A JSON string can escape an unpaired surrogate (\ud800), which is not text; the row fails instead of the request.</summary>
    private static string? Text(InputRow row, JsonProperty property)
    {
        try
        {
            return property.Value.GetString();
        }
        catch (InvalidOperationException)
        {
            row.Fail(property.Name, "is not valid Unicode text (an unpaired surrogate escape)");
            return null;
        }
    }

    private static string Scalar(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.ToString() ?? "";

    private static string? Invalid(InputRow row, string column)
    {
        row.Fail(column, "must be a string, number, boolean, list or null");
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _doc.Dispose();
        return ValueTask.CompletedTask;
    }

}
