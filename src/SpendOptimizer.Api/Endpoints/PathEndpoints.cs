using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Endpoints;

public static class PathEndpoints
{
    public static RouteGroupBuilder MapPathEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Journeys");
        group.MapPut("/paths", Upsert)
            .RequireRole(Role.Ingest)
            .Accepts<PathRecord[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("UpsertPaths")
            .WithSummary("Load aggregated paths in ChannelAttribution's shape (path \"a > b > c\", total_conversions, total_conversion_value, total_null); upsert on path.");
        group.MapGet("/paths", List)
            .RequireRole(Role.Read)
            .WithName("ListPaths")
            .WithSummary("Stored aggregated paths, ordered by path; JSON pages or CSV.");
        return group;
    }

    private static async Task<Ok<UpsertResult>> Upsert(string ws, HttpRequest request, BatchReader reader, PathStore store,
        IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        var rows = await PathUpload.ReadAsync(request, reader, options.Value.MaxBodyBytes);
        return TypedResults.Ok(await store.UpsertAsync(ws, rows, ct));
    }

    private static async Task<Results<Ok<Page<PathRecord>>, CsvResult<PathRecord>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, PathStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListAsync(ws, q, n, ct), options.Value.MaxPageSize, PathUpload.Columns, "paths");
}
