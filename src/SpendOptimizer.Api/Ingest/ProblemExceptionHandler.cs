using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace SpendOptimizer.Api.Ingest;

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
            BadHttpRequestException b => Problem(b.StatusCode, "Bad request", b.Message),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => Problem(409, "Already stored",
                $"A row has the same key as a stored row or as another row of this upload ({pg.Detail}). Nothing from this request was stored."),
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
