using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Reports;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class ScenarioEndpoints
{
    public static RouteGroupBuilder MapScenarioEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Scenarios");
        group.MapPost("/scenarios", Create)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AcceptsRespondAsync<CreateScenariosRequest>()
            .WithName("CreateScenarios")
            .WithSummary("Plan up to 10 named variants of next week (budget, budget_mode, locks, bounds, limits, band) on one fit, side by side: spend, value, gain p10/p50/p90, blended CAC, payback and CLV:CAC, spend per channel; an infeasible variant is a row saying why. Stored.");
        group.MapGet("/scenarios", List)
            .RequireRole(Role.Read)
            .WithName("ListScenarios")
            .WithSummary("Stored comparisons, newest first (from/to filter the day made, UTC); CSV has one row per comparison and variant.");
        group.MapGet("/scenarios/latest", Latest)
            .RequireRole(Role.Read)
            .WithName("GetLatestScenarios")
            .WithSummary("The newest comparison; CSV (format=csv) and an Excel workbook (format=xlsx) have one row per variant and a spend column per channel.");
        group.MapGet("/scenarios/{id:guid}", Get)
            .RequireRole(Role.Read)
            .WithName("GetScenarios")
            .WithSummary("One comparison; CSV (format=csv) and an Excel workbook (format=xlsx) have one row per variant and a spend column per channel.");
        group.MapGet("/scenarios/{id:guid}/report", Report)
            .RequireRole(Role.Read)
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithName("GetScenariosReport")
            .WithSummary("One-page HTML report of a comparison: the table of variants and a chart of each variant's spend per channel. Opens in a browser with ?api_key= and a read key.");
        return group;
    }

    private static async Task<Results<Created<ScenarioComparisonResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string ws, CreateScenariosRequest request, ScenarioService scenarios, CancellationToken ct)
    {
        switch (await scenarios.CreateAsync(ws, request, ct))
        {
            case ScenarioService.Compared compared:
                return TypedResults.Created($"/v1/workspaces/{ws}/scenarios/{compared.Comparison.Id}", compared.Comparison);
            case RecommendationService.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors);
            case RecommendationService.NoCurves none:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No curves", detail: none.Detail);
            default:
                throw new InvalidOperationException("unknown scenario outcome");
        }
    }

    private sealed record Row(ScenarioComparisonResponse Comparison, ScenarioResult Scenario);

    /// <summary>A variant's figures; value and gain are in objective units, money unless every variant counts conversions.</summary>
    private static IReadOnlyList<CsvColumn<Row>> Figures(IEnumerable<ScenarioResult> rows)
    {
        var value = rows.Any() && rows.All(r => r.Objective == "conversions") ? CellKind.Count : CellKind.Money;
        return
        [
            CsvColumn<Row>.Text("scenario", r => r.Scenario.Name),
            CsvColumn<Row>.Text("status", r => r.Scenario.Status),
            CsvColumn<Row>.Date("week", r => r.Scenario.Week),
            CsvColumn<Row>.Text("objective", r => r.Scenario.Objective),
            CsvColumn<Row>.Money("budget", r => r.Scenario.Budget),
            CsvColumn<Row>.Money("spend", r => r.Scenario.Spend),
            new("current_value", value, r => r.Scenario.CurrentValue),
            new("value", value, r => r.Scenario.Value),
            new("gain", value, r => r.Scenario.Gain),
            new("p10", value, r => r.Scenario.P10),
            new("p50", value, r => r.Scenario.P50),
            new("p90", value, r => r.Scenario.P90),
            CsvColumn<Row>.Share("probability_positive", r => r.Scenario.ProbabilityPositive),
            CsvColumn<Row>.Money("cac", r => r.Scenario.Cac),
            CsvColumn<Row>.Months("payback_months", r => r.Scenario.PaybackMonths),
            CsvColumn<Row>.Ratio("clv_cac", r => r.Scenario.ClvCac),
            CsvColumn<Row>.Text("explanation", r => r.Scenario.Explanation),
        ];
    }

    /// <summary>One comparison: its figures, then a spend column per channel, so a spreadsheet can chart the variants at once.</summary>
    private static IReadOnlyList<CsvColumn<Row>> Columns(ScenarioComparisonResponse c) =>
    [
        .. Figures(c.Scenarios),
        .. c.Channels.Select(ch => CsvColumn<Row>.Money($"spend_{ch}", r => r.Scenario.SpendByChannel?.GetValueOrDefault(ch))),
    ];

    /// <summary>Many comparisons, with different channels each, share the figures and name their comparison.</summary>
    private static readonly IReadOnlyList<CsvColumn<Row>> ListColumns =
    [
        CsvColumn<Row>.Text("comparison_id", r => r.Comparison.Id.ToString()),
        CsvColumn<Row>.Text("comparison", r => r.Comparison.Name),
        CsvColumn<Row>.Timestamp("created_at", r => r.Comparison.CreatedAt),
        .. Figures([]),
    ];

    private static IEnumerable<Row> Rows(IEnumerable<ScenarioComparisonResponse> items) => items.SelectMany(c => c.Scenarios.Select(s => new Row(c, s)));

    private static IReadOnlyList<XlsxSummaryItem> Summary(ScenarioComparisonResponse c) =>
    [
        new("Comparison", CellKind.Text, c.Id.ToString(), "id"),
        new("Name", CellKind.Text, c.Name, "name"),
        new("Created (UTC)", CellKind.Timestamp, c.CreatedAt, "created_at"),
        new("Currency", CellKind.Text, c.Currency, "currency"),
        new("Fit", CellKind.Text, c.FitId?.ToString(), "fit_id"),
        new("Variants", CellKind.Integer, (long)c.Scenarios.Count, "scenarios"),
        new("Variants with a plan", CellKind.Integer, (long)c.Scenarios.Count(s => s.SpendByChannel is not null), "scenarios[].status"),
    ];

    private static async Task<Results<Ok<Page<ScenarioComparisonResponse>>, CsvResult<Row>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, ScenarioStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListAsync(ws, q, n, ct), options.Value.MaxPageSize, Rows, ListColumns, "scenarios");

    private static Task<Results<Ok<ScenarioComparisonResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Latest(string ws, HttpRequest request,
        ScenarioStore store, [QueryChoices("json", "csv", "xlsx")] string? format = null, CancellationToken ct = default) => One(ws, null, request, store, format, ct);

    private static Task<Results<Ok<ScenarioComparisonResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Get(string ws, Guid id, HttpRequest request,
        ScenarioStore store, [QueryChoices("json", "csv", "xlsx")] string? format = null, CancellationToken ct = default) => One(ws, id, request, store, format, ct);

    private static async Task<Results<Ok<ScenarioComparisonResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> One(string ws, Guid? id,
        HttpRequest request, ScenarioStore store, string? format, CancellationToken ct)
    {
        var found = await store.GetAsync(ws, id, ct);
        if (found is null) return NotFound(ws, id);
        var name = $"scenarios-{found.CreatedAt.UtcDateTime:yyyy-MM-dd}";
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
            return new XlsxResult<Row>(Rows([found]), Columns(found), name, "Scenarios", Summary(found), "Comparison", found.Currency);
        return ListResults.WantsCsv(request, format) ? new CsvResult<Row>(Rows([found]), Columns(found), name, null) : TypedResults.Ok(found);
    }

    private static async Task<IResult> Report(string ws, Guid id, HttpResponse response, ScenarioStore store, CancellationToken ct)
    {
        var found = await store.GetAsync(ws, id, ct);
        if (found is null) return NotFound(ws, id);
        return ReportEndpoints.Page(response, ScenarioReport.Render(ws, found));
    }

    private static ProblemHttpResult NotFound(string ws, Guid? id) =>
        TypedResults.Problem(statusCode: 404, title: "Comparison not found",
            detail: id is null ? "No comparison yet: POST …/scenarios." : $"Workspace '{ws}' has no comparison {id}.");
}
