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

        var body = new LimitedReadStream(request.Body, maxBytes);
        var ct = request.HttpContext.RequestAborted;
        var media = type.MediaType.Value?.ToLowerInvariant();
        if (media is "text/csv" or "application/csv")
            return await CsvRowSource.OpenAsync(new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), schema,
                request.HttpContext.RequestServices.GetRequiredService<IOptions<SpendOptimizerOptions>>().Value.MaxReportedErrors, ct);
        if (allowJson && media is "application/json")
            return await JsonRowSource.OpenAsync(body, schema, ct);
        throw WrongType(request.ContentType, accepted);
    }

    private static ProblemException WrongType(string? given, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"Send the body as {accepted}; got '{given ?? "no Content-Type"}'. Nothing was stored.");
}
