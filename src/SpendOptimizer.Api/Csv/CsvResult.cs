using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;

namespace SpendOptimizer.Api.Csv;

/// <summary>A 200 answer as text/csv; <see cref="CsvResponses"/> declares it beside the JSON one in the OpenAPI document.</summary>
public sealed class CsvResult<T>(IAsyncEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns, string fileName, string? nextCursor) : IResult, IEndpointMetadataProvider
{
    public CsvResult(IEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns, string fileName, string? nextCursor)
        : this(rows.ToAsyncEnumerable(), columns, fileName, nextCursor) { }

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}.csv\"";
        if (nextCursor is not null) http.Response.Headers["X-Next-Cursor"] = nextCursor;
        // 16K chars keeps the buffers off the large-object heap, which a 64K one would hit on every request.
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 16 * 1024);
        await CsvFormat.WriteAsync(writer, rows, columns);
    }

    // A second 200 response type would replace the JSON one in the document, so CSV is only marked here.
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(CsvResponses.Csv);
}
