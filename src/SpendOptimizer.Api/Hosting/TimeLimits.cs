using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Hosting;

/// <summary>Endpoint metadata: how long a request to the route may run, read from the options at each request.</summary>
public sealed record TimeLimit(Func<SpendOptimizerOptions, double> Seconds);

public static class TimeLimits
{
    public static RouteHandlerBuilder WithTimeLimit(this RouteHandlerBuilder builder, Func<SpendOptimizerOptions, double> seconds) =>
        builder.WithMetadata(new TimeLimit(seconds)).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

/// <summary>
/// Cancels a request that outruns its route's <see cref="TimeLimit"/>: the token handlers receive is replaced by
/// one that also fires at the limit, and the cancellation becomes a 422 saying so. The work stops where it checks the
/// token (SQL commands, solver iterations), and since results are stored only at the end, nothing partial is kept
/// (a plan that fits its own curves stores them with the plan).
/// </summary>
public sealed class TimeLimitMiddleware(RequestDelegate next, IOptions<SpendOptimizerOptions> options)
{
    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<TimeLimit>() is not { } limit)
        {
            await next(http);
            return;
        }
        var seconds = limit.Seconds(options.Value);
        var client = http.RequestAborted;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(client);
        timer.CancelAfter(TimeSpan.FromSeconds(seconds));
        http.RequestAborted = timer.Token;
        try
        {
            await next(http);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !client.IsCancellationRequested && !http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "Time limit reached",
                    Detail = $"The request did not finish within its limit of {seconds:0.##} s and stored nothing; narrow the window or choose a smaller model.",
                },
            });
        }
        finally
        {
            http.RequestAborted = client;
        }
    }
}
