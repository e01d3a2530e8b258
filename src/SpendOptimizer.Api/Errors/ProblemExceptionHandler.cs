using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SpendOptimizer.Api.Json;

namespace SpendOptimizer.Api.Errors;

/// <summary>
/// The one place where known failures become RFC 9457 problem details. Anything not listed here is a
/// 500 with no internals in the body.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            ProblemException p => Problem(p.Status, p.Title, p.Message, p),
            DecoderFallbackException => Problem(400, "Invalid text encoding",
                "The body is not valid UTF-8. Save the file as UTF-8 (with or without BOM) and send it again. Nothing was stored."),
            BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                Problem(413, "Body too large", "The body is larger than this route's limit. Nothing was stored."),
            BadHttpRequestException { InnerException: JsonException j } => InvalidJson(j),
            BadHttpRequestException b => Problem(b.StatusCode, "Bad request", BadRequestDetail(b.StatusCode)),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => Problem(409, "Already stored",
                "A row has the same key as a stored row or as another row of this upload. Nothing from this request was stored."),
            Core.TooLargeException t => TooLarge(t),
            NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => Unavailable(http),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (!http.RequestAborted.IsCancellationRequested)
                logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            return false;
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The database went away mid-request: its transaction rolled back, so retrying is safe.</summary>
    private static ProblemDetails Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return Problem(503, "Database unavailable",
            "The database stopped answering during this request; nothing from it was stored. Retry in a few seconds (touchpoint loads with the same Idempotency-Key).");
    }

    /// <summary>
    /// A command body that is not JSON, or not of this route's shape. Said in the service's words with the property's path
    /// and place: the serializer's own message names .NET types, which mean nothing to a caller.
    /// </summary>
    private static ProblemDetails InvalidJson(JsonException j)
    {
        var at = j.LineNumber is { } line ? $" (line {line + 1}, byte {j.BytePositionInLine + 1})" : "";
        var path = string.IsNullOrEmpty(j.Path) || j.Path == "$" ? null : j.Path.StartsWith("$.") ? j.Path[2..] : j.Path;
        var field = path is null ? null : ProblemBounds.Excerpt(path);
        var reason = j is JsonFieldException f ? f.Reason
            : field is null ? "is not well-formed JSON of this route's shape" : "does not have the type this route expects";
        var p = Problem(400, "Invalid JSON body", $"{(field is null ? "The body" : $"'{field}'")} {reason}{at}. Nothing was stored.");
        p.Extensions["errors"] = new Dictionary<string, string[]> { [field ?? "body"] = [reason] };
        return p;
    }

    private static string BadRequestDetail(int status) => status switch
    {
        StatusCodes.Status415UnsupportedMediaType => "This route takes a JSON body (Content-Type application/json). Nothing was stored.",
        _ => "The request could not be read: a required body or parameter is missing or of the wrong type. Nothing was stored.",
    };

    private static ProblemDetails TooLarge(Core.TooLargeException t)
    {
        var p = Problem(422, "Problem too large", t.Message + ". Nothing was stored.");
        p.Extensions["errors"] = new Dictionary<string, string[]> { [t.Field] = [t.Message] };
        return p;
    }

    private static ProblemDetails Problem(int status, string title, string detail, ProblemException? source = null)
    {
        var p = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (source is { ErrorCount: > 0 })
        {
            p.Extensions["error_count"] = source.ErrorCount;
            p.Extensions["errors"] = source.Errors;
        }
        return p;
    }
}
