using System.Text.Json;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class AttributionEndpoints
{
    public static RouteGroupBuilder MapAttributionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Attribution");
        group.MapPost("/attribution-runs", Create)
            .WithTimeLimit(o => o.AttributionTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AcceptsRespondAsync<CreateAttributionRunRequest>()
            .WithName("CreateAttributionRun")
            .WithSummary("Run an attribution model over stored journeys (paths built inside PostgreSQL) or stored paths; the run is stored.");
        group.MapGet("/attribution-runs", List)
            .RequireRole(Role.Read)
            .WithName("ListAttributionRuns")
            .WithSummary("Stored attribution runs, newest first; CSV has one row per run and channel.");
        group.MapGet("/attribution-runs/{id:guid}", Get)
            .RequireRole(Role.Read)
            .WithName("GetAttributionRun")
            .WithSummary("One attribution run; CSV has one row per channel in ChannelAttribution's columns.");
        return group;
    }

    private static async Task<Results<Created<AttributionRunResponse>, ValidationProblem>> Create(
        string ws, CreateAttributionRunRequest request, AttributionService attribution, CancellationToken ct) =>
        await attribution.RunAsync(ws, request, ct) switch
        {
            Outcome<AttributionRunResponse>.Done(var run) => TypedResults.Created($"/v1/workspaces/{ws}/attribution-runs/{run.Id}", run),
            Outcome<AttributionRunResponse>.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            var other => throw new InvalidOperationException($"unexpected attribution outcome {other}"),
        };

    private static readonly IReadOnlyList<CsvColumn<ChannelCreditResponse>> CreditColumns =
    [
        CsvColumn<ChannelCreditResponse>.Text("channel_name", c => c.ChannelName),
        CsvColumn<ChannelCreditResponse>.Count("total_conversions", c => c.TotalConversions),
        CsvColumn<ChannelCreditResponse>.Money("total_conversion_value", c => c.TotalConversionValue),
        CsvColumn<ChannelCreditResponse>.Share("share", c => c.Share),
        CsvColumn<ChannelCreditResponse>.Share("removal_effect", c => c.RemovalEffect),
    ];

    private sealed record RunCredit(AttributionRunResponse Run, ChannelCreditResponse Credit);

    private static readonly IReadOnlyList<CsvColumn<RunCredit>> RunColumns =
    [
        CsvColumn<RunCredit>.Text("run_id", r => r.Run.Id.ToString()),
        CsvColumn<RunCredit>.Timestamp("created_at", r => r.Run.CreatedAt),
        CsvColumn<RunCredit>.Text("model", r => r.Run.Model),
        CsvColumn<RunCredit>.Text("source", r => r.Run.Source),
        CsvColumn<RunCredit>.Date("window_from", r => r.Run.From),
        CsvColumn<RunCredit>.Date("window_to", r => r.Run.To),
        .. CreditColumns.Select(c => c.Of<RunCredit>(r => r.Credit)),
    ];

    /// <param name="model">Only runs of this model.</param>
    private static async Task<Results<Ok<Page<AttributionRunResponse>>, CsvResult<RunCredit>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, AttributionRunStore runs, IOptions<SpendOptimizerOptions> options, string? model = null, CancellationToken ct = default) =>
        await ListResults.RespondAsync(request, query, (q, n) => runs.ListAsync(ws, q, model, n, ct), options.Value.MaxPageSize,
            items => items.SelectMany(r => r.Channels.Select(c => new RunCredit(r, c))), RunColumns, "attribution-runs");

    private static async Task<Results<Ok<AttributionRunResponse>, CsvResult<ChannelCreditResponse>, ProblemHttpResult>> Get(
        string ws, Guid id, HttpRequest request, AttributionRunStore runs, [QueryChoices("json", "csv")] string? format = null, CancellationToken ct = default)
    {
        var run = await runs.GetAsync(ws, id, ct);
        if (run is null) return TypedResults.Problem(statusCode: 404, title: "Run not found", detail: $"Workspace '{ws}' has no attribution run {id}.");
        return ListResults.WantsCsv(request, format)
            ? new CsvResult<ChannelCreditResponse>(run.Channels, CreditColumns, $"attribution-{run.Model}-{id}", null)
            : TypedResults.Ok(run);
    }
}
