using Npgsql;

namespace SpendOptimizer.Api.Endpoints;

public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Operations");
        group.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live", null)))
            .WithName("Live").WithSummary("The process is up.");
        group.MapGet("/ready", Ready)
            .WithName("Ready").WithSummary("The database answers; 503 while it does not.");
    }

    private static async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> Ready(NpgsqlDataSource db, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var cmd = db.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return TypedResults.Ok(new HealthStatus("ready", null));
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return TypedResults.Json(new HealthStatus("database unavailable", e.GetType().Name), statusCode: 503);
        }
    }
}

public sealed record HealthStatus(string Status, string? Error);
