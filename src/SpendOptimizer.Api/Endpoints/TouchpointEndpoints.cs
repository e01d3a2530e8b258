using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
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

    private static async Task<Ok<TouchpointLoadResult>> Load(string ws, HttpRequest request, TouchpointStore store,
        IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        await using var source = await Upload.OpenAsync(request, TouchpointUpload.Schema, limits.MaxTouchpointBodyBytes, allowJson: false);
        var errors = new RowErrors(limits.MaxReportedErrors);
        var row = new InputRow(TouchpointUpload.Schema, errors);
        return TypedResults.Ok(await store.LoadAsync(ws, source, row, errors, limits.MaxReportedErrors, ct));
    }

    private static async Task<Results<Ok<Page<Touchpoint>>, CsvResult<Touchpoint>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, TouchpointStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        var page = await store.ListAsync(ws, query, query.PageSize(options.Value.MaxPageSize), ct);
        return ListResults.Respond(request, query, page, TouchpointUpload.Columns, "touchpoints");
    }
}
