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
    private static async Task<Ok<PerformanceUpsertResult>> Upsert(string ws, HttpRequest request, BatchReader reader, PerformanceStore store,
        WorkspaceStore workspaces, ModelCatalogue catalogue, IOptions<SpendOptimizerOptions> options, string? grain = null, CancellationToken ct = default)
    {
        var period = QueryChoice.Parse(grain, "grain", Grain.Day);
        var weekStart = (await workspaces.SettingsAsync(ws, ct)).WeekStart;
        var read = await reader.ReadPositionedAsync(request, PerformanceUpload.Schema, r => PerformanceUpload.Parse(r, period, weekStart),
            p => (p.Date, p.Channel), "date and channel");
        var rows = read.ConvertAll(p => p.Value);
        var (result, clashes) = await store.UpsertAsync(ws, rows, period, ct);
        if (result is null)
        {
            var at = read.ToDictionary(p => (p.Value.Date, p.Value.Channel));
            var errors = new RowErrors(options.Value.MaxReportedErrors);
            foreach (var c in clashes)
            {
                var p = at[(c.Date, c.Channel)];
                errors.Add(new RowError(p.Row, p.Line, "date", PerformanceUpload.Clash(period, c), c.Date.ToString("yyyy-MM-dd")));
            }
            errors.ThrowIfAny();
        }
        // Flag unusual weeks among those just loaded, judged against each channel's whole history.
        var touched = rows.Select(r => (Week: Weeks.StartOf(r.Date, weekStart), r.Channel)).ToHashSet();
        var histories = ChannelHistory.Build(await store.WeeklyAsync(ws, null, null, ct));
        var anomalies = WeeklySignals.Anomalies(histories, SignalEndpoints.Parameters(catalogue, null, null, null, null))
            .Where(a => touched.Contains((a.Week, a.Channel))).OrderBy(a => a.Week).ThenBy(a => a.Channel, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new PerformanceUpsertResult(result!.Received, result.Inserted, result.Updated, result.Unchanged, anomalies));
    }

    private static async Task<Results<Ok<Page<PerformanceRow>>, CsvResult<PerformanceRow>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, PerformanceStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        var page = await store.ListAsync(ws, query, query.PageSize(options.Value.MaxPageSize), ct);
        return ListResults.Respond(request, query, page, PerformanceUpload.Columns, "performance");
    }
}
