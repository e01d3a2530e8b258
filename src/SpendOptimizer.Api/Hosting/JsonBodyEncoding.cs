using Microsoft.Net.Http.Headers;
using SpendOptimizer.Api.Ingest;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Every JSON body, whoever reads it (the upload reader or the framework binding a command), is checked as UTF-8
/// while it is read (<see cref="Utf8CheckedStream"/>), so a stray byte is a 400 naming its offset, and no string in it
/// may run past <see cref="JsonStringLimitStream.MaxStringBytes"/> (a 400 naming its property, before it is held).
/// </summary>
public sealed class JsonBodyEncodingMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && IsJson(type.MediaType.Value))
            http.Request.Body = new JsonStringLimitStream(new Utf8CheckedStream(http.Request.Body));
        return next(http);
    }

    private static bool IsJson(string? media) =>
        media is not null && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
