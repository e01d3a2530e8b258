using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Endpoints;

public static class TouchpointEndpoints
{
    public static RouteGroupBuilder MapTouchpointEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Journeys");
        group.MapPost("/touchpoints", Load)
            .WithMetadata(new BodyLimit(o => o.MaxTouchpointBodyBytes))
            .RequireRole(Role.Ingest)
            .Accepts<string>("text/csv")
            .IngestProblems()
            .WithName("LoadTouchpoints")
            .WithSummary("Load raw journeys as CSV (journey_id, timestamp, event, channel, campaign, value), streamed into PostgreSQL; all rows or none.");
        group.MapGet("/touchpoints", List)
            .RequireRole(Role.Read)
            .WithName("ListTouchpoints")
            .WithSummary("Stored journey events, ordered by journey and time; from/to filter on the event date.");
        return group;
    }

    /// <param name="idempotencyKey">Optional. A retry with the same key after any failure loads at most once and gets the first answer again.</param>
    private static async Task<Ok<TouchpointLoadResult>> Load(string ws, HttpRequest request, HttpResponse response, TouchpointStore store,
        IOptions<SpendOptimizerOptions> options, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is { Length: > 200 })
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid Idempotency-Key", "Idempotency-Key is at most 200 characters.");
        if (idempotencyKey is not null && await store.FindLoadAsync(ws, idempotencyKey, ct) is { } done)
            return Replayed(response, done);

        var limits = options.Value;
        await using var source = await Upload.OpenAsync(request, TouchpointUpload.Schema, limits.MaxTouchpointBodyBytes, allowJson: false);
        var errors = new RowErrors(limits.MaxReportedErrors);
        var row = new InputRow(TouchpointUpload.Schema, errors);
        try
        {
            return TypedResults.Ok(await store.LoadAsync(ws, idempotencyKey, source, row, errors, limits.MaxReportedErrors, ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "touchpoint_loads_idempotency")
        {
            // The same key's load committed while this one ran; this one rolled back whole.
            return Replayed(response, (await store.FindLoadAsync(ws, idempotencyKey!, CancellationToken.None))!);
        }
    }

    private static Ok<TouchpointLoadResult> Replayed(HttpResponse response, TouchpointLoadResult load)
    {
        response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Ok(load);
    }

    private static async Task<Results<Ok<Page<Touchpoint>>, CsvResult<Touchpoint>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, TouchpointStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListAsync(ws, q, n, ct), options.Value.MaxPageSize, TouchpointUpload.Columns, "touchpoints");
}
