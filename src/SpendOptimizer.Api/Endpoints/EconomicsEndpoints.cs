using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Endpoints;

public static class EconomicsEndpoints
{
    public static RouteGroupBuilder MapEconomicsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Economics");
        group.MapPut("/economics", Upsert)
            .RequireRole(Role.Ingest)
            .Accepts<UnitEconomics[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("UpsertEconomics")
            .WithSummary("Load ARPA, gross margin, churn or retention curve, discount rate and optional CLV per channel, or for channel \"all\"; upsert on channel.")
            .WithDescription("clv_source fitted (instead of churn, curve or clv_override) makes recommendations and plans take the channel's CLV from a customer-value fit: clv_fit_id, else the newest fit at planning time; the channel's group there, or the pooled fit for a channel without customers. Payback still uses arpa_monthly × gross_margin.");
        group.MapGet("/economics", List)
            .RequireRole(Role.Read)
            .WithName("ListEconomics")
            .WithSummary("Stored unit economics, one row per channel (\"all\" is the default for channels without their own row).");
        return group;
    }

    private static async Task<Ok<UpsertResult>> Upsert(string ws, HttpRequest request, BatchReader reader, EconomicsStore store, CancellationToken ct)
    {
        var rows = await reader.ReadAsync(request, EconomicsUpload.Schema, EconomicsUpload.Parse, e => e.Channel, "channel");
        return TypedResults.Ok(await store.UpsertAsync(ws, rows, ct));
    }

    private static async Task<Results<Ok<Page<UnitEconomics>>, CsvResult<UnitEconomics>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, EconomicsStore store, CancellationToken ct)
    {
        query.Whole();
        var page = new Page<UnitEconomics>(await store.ListAsync(ws, ct), null);
        return ListResults.Respond(request, query, page, EconomicsUpload.Columns, "economics");
    }
}
