using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

/// <summary>Undoing mistaken loads: each delete is whole or nothing, answers the rows it removed and is recorded in …/deletions.</summary>
public static class DeletionEndpoints
{
    public static RouteGroupBuilder MapDeletionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Corrections");
        group.MapDelete("/performance", Performance)
            .RequireRole(Role.Ingest)
            .DeleteProblems()
            .WithName("DeletePerformance")
            .WithSummary("Delete one channel's performance rows dated from … to (both days included; a weekly row is dated on its week start); all or none.");
        group.MapDelete("/lift-tests/{id}", LiftTest)
            .RequireRole(Role.Ingest)
            .DeleteProblems()
            .WithName("DeleteLiftTest")
            .WithSummary("Delete one stored lift test by id.");
        group.MapDelete("/economics/{channel}", Economics)
            .RequireRole(Role.Ingest)
            .DeleteProblems()
            .WithName("DeleteEconomics")
            .WithSummary("Delete one channel's unit economics (\"all\" deletes the default row).");
        group.MapDelete("/paths", Paths)
            .RequireRole(Role.Ingest)
            .DeleteProblems()
            .WithName("DeletePaths")
            .WithSummary("Delete every stored aggregated path, or with ?path= only that one (written as uploaded, \"a > b > c\").");
        group.MapDelete("/touchpoints/loads/{load_id:guid}", TouchpointLoad)
            .RequireRole(Role.Ingest)
            .DeleteProblems()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("DeleteTouchpointLoad")
            .WithSummary("Delete one touchpoint load (the load_id its POST answered): its journey events and the load, so the same file, with or without its Idempotency-Key, loads again.");
        group.MapGet("/deletions", List)
            .RequireRole(Role.Read)
            .WithName("ListDeletions")
            .WithSummary("Recorded deletes, newest first: who (key id, prefix, role), when, route and parameters, rows removed; from/to filter the day (UTC). JSON pages or CSV.");
        return group;
    }

    private static RouteHandlerBuilder DeleteProblems(this RouteHandlerBuilder builder) =>
        builder.Produces<DeletionResult>().ProducesProblem(StatusCodes.Status400BadRequest);

    /// <param name="channel">The channel whose rows to delete (required).</param>
    /// <param name="from">First day deleted, yyyy-MM-dd (required).</param>
    /// <param name="to">Last day deleted, yyyy-MM-dd, included (required).</param>
    private static async Task<Results<Ok<DeletionResult>, ProblemHttpResult>> Performance(string ws, Deleter who, DeletionService deletions,
        string? channel = null, DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default) =>
        Respond(await deletions.PerformanceAsync(ws, who, channel, from, to, ct));

    private static async Task<Results<Ok<DeletionResult>, ProblemHttpResult>> LiftTest(string ws, string id, Deleter who, DeletionService deletions, CancellationToken ct) =>
        Respond(await deletions.LiftTestAsync(ws, who, id, ct));

    private static async Task<Results<Ok<DeletionResult>, ProblemHttpResult>> Economics(string ws, string channel, Deleter who, DeletionService deletions, CancellationToken ct) =>
        Respond(await deletions.EconomicsAsync(ws, who, channel, ct));

    /// <param name="path">One path to delete, as uploaded ("a > b > c"); left out, every stored path is deleted.</param>
    private static async Task<Results<Ok<DeletionResult>, ProblemHttpResult>> Paths(string ws, Deleter who, DeletionService deletions,
        string? path = null, CancellationToken ct = default) =>
        Respond(await deletions.PathsAsync(ws, who, path, ct));

    private static async Task<Results<Ok<DeletionResult>, ProblemHttpResult>> TouchpointLoad(string ws, [FromRoute(Name = "load_id")] Guid loadId, Deleter who,
        DeletionService deletions, CancellationToken ct) =>
        Respond(await deletions.TouchpointLoadAsync(ws, who, loadId, ct));

    private static Results<Ok<DeletionResult>, ProblemHttpResult> Respond(DeletionService.Outcome outcome) => outcome switch
    {
        DeletionService.Removed r => TypedResults.Ok(new DeletionResult(r.Rows)),
        DeletionService.Missing m => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: m.Title, detail: m.Detail),
        DeletionService.Conflict c => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: c.Title, detail: c.Detail),
        _ => throw new InvalidOperationException("unknown deletion outcome"),
    };

    private static readonly IReadOnlyList<CsvColumn<DeletionRecord>> Columns =
    [
        CsvColumn<DeletionRecord>.Text("id", d => d.Id.ToString()),
        CsvColumn<DeletionRecord>.Timestamp("deleted_at", d => d.DeletedAt),
        CsvColumn<DeletionRecord>.Text("key_id", d => d.KeyId?.ToString()),
        CsvColumn<DeletionRecord>.Text("key_prefix", d => d.KeyPrefix),
        CsvColumn<DeletionRecord>.Text("role", d => d.Role),
        CsvColumn<DeletionRecord>.Text("route", d => d.Route),
        CsvColumn<DeletionRecord>.Text("parameters", d => string.Join("&", d.Parameters.Select(p => $"{p.Key}={p.Value}"))),
        CsvColumn<DeletionRecord>.Integer("removed", d => d.Removed),
    ];

    private static async Task<Results<Ok<Page<DeletionRecord>>, CsvResult<DeletionRecord>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, DeletionStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        var page = await store.ListAsync(ws, query, query.PageSize(options.Value.MaxPageSize), ct);
        return ListResults.Respond(request, query, page, Columns, "deletions");
    }
}
