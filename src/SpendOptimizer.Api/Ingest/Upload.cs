using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Ingest;

/// <summary>Opens a request body as rows: checks content type and size, then picks the CSV or JSON reader.</summary>
public static class Upload
{
    // Invalid UTF-8 must be an error, not silently replaced characters in stored data.
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<IRowSource> OpenAsync(HttpRequest request, TableSchema schema, long maxBytes, bool allowJson = true)
    {
        var csv = Accept(request, maxBytes, allowJson);
        var body = new LimitedReadStream(request.Body, maxBytes);
        var ct = request.HttpContext.RequestAborted;
        if (csv)
            return await CsvRowSource.OpenAsync(new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), schema,
                request.HttpContext.RequestServices.GetRequiredService<IOptions<SpendOptimizerOptions>>().Value.MaxReportedErrors, ct);
        return await JsonRowSource.OpenAsync(body, schema, ct);
    }

    /// <summary>Checks a body's content type, charset and declared size, and lifts the server's cap to the route's: true for CSV, false for JSON.</summary>
    public static bool Accept(HttpRequest request, long maxBytes, bool allowJson = true)
    {
        var accepted = allowJson ? "text/csv or application/json" : "text/csv";
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            throw WrongType(request.ContentType, accepted);
        if (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"Bodies must be UTF-8; this one says charset={type.Charset}. Nothing was stored.");
        if (request.ContentLength > maxBytes) throw ProblemException.TooLarge(maxBytes);
        // The route's own limit replaces the server-wide default (30 MB in Kestrel); LimitedReadStream enforces it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes;
        var media = type.MediaType.Value?.ToLowerInvariant();
        if (media is "text/csv" or "application/csv") return true;
        if (allowJson && media is "application/json") return false;
        throw WrongType(request.ContentType, accepted);
    }

    /// <summary>
    /// A CSV body's bytes, read whole, for a reader that takes them at once; the request keeps a body that replays them.
    /// Null for JSON, and for a body that reaches <paramref name="maxBytes"/>: that one is read on as it comes, so its
    /// problems are met in the order they always were.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>?> BufferCsvAsync(HttpRequest request, long maxBytes)
    {
        if (!Accept(request, maxBytes)) return null;
        var buffer = new byte[(int)Math.Min(maxBytes, request.ContentLength ?? 1 << 16)];
        var filled = 0;
        var ct = request.HttpContext.RequestAborted;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled >= maxBytes)
                {
                    request.Body = new ReplayStream(buffer, request.Body);
                    return null;
                }
                Array.Resize(ref buffer, (int)Math.Min(maxBytes, buffer.Length * 2L + 1));
            }
            var n = await request.Body.ReadAsync(buffer.AsMemory(filled), ct);
            if (n == 0) break;
            filled += n;
        }
        request.Body = new MemoryStream(buffer, 0, filled, writable: false);
        return buffer.AsMemory(0, filled);
    }

    private static ProblemException WrongType(string? given, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"Send the body as {accepted}; got '{given ?? "no Content-Type"}'. Nothing was stored.");
}
