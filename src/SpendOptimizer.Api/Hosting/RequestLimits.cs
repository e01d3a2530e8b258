using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// The request target and header limits, enforced here rather than by Kestrel so that a refusal is problem details
/// naming the limit: Kestrel's own limits are raised well above these (<see cref="RaiseKestrelLimits"/>) and answer
/// only requests far past them, with an empty body. A path that decodes to a control character (%00, %01, %7F…)
/// reaches no route: 400 naming the path.
/// </summary>
public sealed class RequestLimitMiddleware(RequestDelegate next, IOptions<SpendOptimizerOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var o = options.Value;
        var request = http.Request;
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : request.PathBase + request.Path + request.QueryString;
        var targetBytes = Encoding.UTF8.GetByteCount(target);
        if (targetBytes > o.MaxRequestTargetBytes)
            throw new ProblemException(StatusCodes.Status414UriTooLong, "Request target too long",
                $"The request target (path and query) is {targetBytes:N0} bytes; at most {o.MaxRequestTargetBytes:N0} are accepted (SpendOptimizer:MaxRequestTargetBytes). Send long lists in a body. Nothing was changed.");
        long headerBytes = 0;
        foreach (var (name, values) in request.Headers)
            foreach (var value in values)
                headerBytes += name.Length + 4 + Encoding.UTF8.GetByteCount(value ?? ""); // "name: value\r\n"
        if (headerBytes > o.MaxRequestHeaderBytes)
            throw new ProblemException(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"The request headers total {headerBytes:N0} bytes; at most {o.MaxRequestHeaderBytes:N0} are accepted (SpendOptimizer:MaxRequestHeaderBytes). Nothing was changed.");
        var path = request.Path.Value ?? "";
        var control = path.IndexOfAny(ControlCharacters);
        if (control >= 0)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid path",
                $"The path has a control character (U+{(int)path[control]:X4}) at position {control + 1}; no route holds one. Nothing was changed.");
        return next(http);
    }

    private static readonly char[] ControlCharacters = [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\u007f'];

    /// <summary>Kestrel's request line and header limits, set 16 times the service's so that <see cref="RequestLimitMiddleware"/> answers first.</summary>
    public static void RaiseKestrelLimits(KestrelServerOptions kestrel, SpendOptimizerOptions o)
    {
        kestrel.Limits.MaxRequestLineSize = (int)Math.Min(int.MaxValue / 2, Math.Max(kestrel.Limits.MaxRequestLineSize, o.MaxRequestTargetBytes * 16L + 1024));
        kestrel.Limits.MaxRequestHeadersTotalSize = (int)Math.Min(int.MaxValue / 2, Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, o.MaxRequestHeaderBytes * 16L));
    }
}
