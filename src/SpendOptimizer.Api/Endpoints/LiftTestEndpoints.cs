using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class LiftTestEndpoints
{
    public static RouteGroupBuilder MapLiftTestEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Lift tests");
        group.MapPost("/lift-tests", Upsert)
            .RequireRole(Role.Ingest)
            .Accepts<LiftTestResponse[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("UpsertLiftTests")
            .WithSummary("Load lift-test results (geo, holdout, time) with their standard error or confidence interval; upsert on id.");
        group.MapGet("/lift-tests", List)
            .RequireRole(Role.Read)
            .WithName("ListLiftTests")
            .WithSummary("Stored lift tests overlapping from/to, ordered by start date.");
        group.MapPost("/lift-tests/analyze", Analyze)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("AnalyzeGeoTest")
            .WithSummary("Raw geo-test series (geo, date, treated, KPI, spend) → incremental KPI, relative lift, iROAS and a 90% interval by time-based regression; optionally stored as a lift test.");
        return group;
    }

    private static async Task<Results<Ok<GeoTestResponse>, ValidationProblem>> Analyze(string ws, AnalyzeGeoTestRequest request,
        GeoAnalysisService geo, CancellationToken ct) =>
        await geo.AnalyzeAsync(ws, request, ct) switch
        {
            Outcome<GeoTestResponse>.Done(var result) => TypedResults.Ok(result),
            Outcome<GeoTestResponse>.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            var other => throw new InvalidOperationException($"unexpected geo analysis outcome {other}"),
        };

    private static async Task<Ok<UpsertResult>> Upsert(string ws, HttpRequest request, BatchReader reader, LiftTestStore store, CancellationToken ct)
    {
        var rows = await reader.ReadAsync(request, LiftTestUpload.Schema, LiftTestUpload.Parse, t => t.Id, "id");
        return TypedResults.Ok(await store.UpsertAsync(ws, rows, ct));
    }

    private static async Task<Results<Ok<Page<LiftTestResponse>>, CsvResult<LiftTestResponse>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, LiftTestStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        async Task<Page<LiftTestResponse>> Flat(ListQuery q, int n)
        {
            var page = await store.ListAsync(ws, q, n, ct);
            return new Page<LiftTestResponse>(page.Items.Select(LiftTestResponse.From).ToList(), page.NextCursor);
        }
        return await ListResults.RespondAsync(request, query, Flat, options.Value.MaxPageSize, LiftTestUpload.Columns, "lift-tests");
    }
}
