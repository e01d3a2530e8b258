using Microsoft.AspNetCore.Http.Features;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Hosting;

/// <summary>Endpoint metadata: a body limit other than SpendOptimizer:MaxBodyBytes, read from the options per request.</summary>
public sealed record BodyLimit(Func<SpendOptimizerOptions, long> Bytes);

/// <summary>
/// Caps every request body at its route's limit, whoever reads it (the CSV and JSON readers, or the framework binding
/// a command's JSON): a declared length over it answers 413 at once, and a body that runs over while being read
/// fails with 413 at the byte that passes it. Kestrel's own cap is set to the same figure.
/// </summary>
public sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<SpendOptimizerOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Bytes(options.Value) ?? options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit) throw ProblemException.TooLarge(limit);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        http.Request.Body = new LimitedReadStream(http.Request.Body, limit);
        return next(http);
    }
}
