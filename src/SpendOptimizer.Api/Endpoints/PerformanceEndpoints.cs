using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Endpoints;

public static class PerformanceEndpoints
{
    public static RouteGroupBuilder MapPerformanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Performance");
        group.MapPut("/performance", Upsert)
            .RequireRole(Role.Ingest)
            .Accepts<PerformanceRow[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("UpsertPerformance")
            .WithSummary("Load spend, conversions, revenue and new customers per date and channel (JSON array or CSV); upsert on (date, channel).");
        group.MapGet("/performance", List)
            .RequireRole(Role.Read)
            .WithName("ListPerformance")
            .WithSummary("Stored channel performance, ordered by date and channel; JSON pages or CSV.");
        return group;
    }

    /// <param name="grain">"day" (default) or "week": how long the period starting at each date lasts. A weekly row is dated on the
    /// workspace's week start, and a channel's week is loaded either daily or weekly, never both.</param>
    private static async Task<Ok<PerformanceUpsertResult>> Upsert(string ws, HttpRequest request, BatchReader reader, SignalService signals,
        [QueryChoices(typeof(Grain))] string? grain = null, CancellationToken ct = default)
    {
        var period = QueryChoice.Parse(grain, "grain", Grain.Day);
        return TypedResults.Ok(await signals.UpsertAsync(ws, period, weekStart => reader.ReadPositionedAsync(request, PerformanceUpload.Schema,
            r => PerformanceUpload.Parse(r, period, weekStart), p => (p.Date, p.Channel), "date and channel"), ct));
    }

    private static async Task<Results<Ok<Page<PerformanceRow>>, CsvResult<PerformanceRow>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, PerformanceStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListAsync(ws, q, n, ct), options.Value.MaxPageSize, PerformanceUpload.Columns, "performance");
}
