using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class RecommendationEndpoints
{
    public static RouteGroupBuilder MapRecommendationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Recommendations");
        group.MapPost("/recommendations", Create)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AcceptsRespondAsync<CreateRecommendationRequest>()
            .WithName("CreateRecommendation")
            .WithSummary("Plan next week: each channel kept or moved by 10–20% (band), budget kept, CAC payback and CLV:CAC limits; stored and explained.");
        group.MapGet("/recommendations", List)
            .RequireRole(Role.Read)
            .WithName("ListRecommendations")
            .WithSummary("Stored recommendations, newest first (from/to filter the planned week); CSV has one row per recommendation and channel.");
        group.MapGet("/recommendations/latest", Latest)
            .RequireRole(Role.Read)
            .WithName("GetLatestRecommendation")
            .WithSummary("The newest recommendation; CSV (format=csv) and an Excel workbook (format=xlsx) have one row per channel.");
        group.MapGet("/recommendations/{id:guid}", Get)
            .RequireRole(Role.Read)
            .WithName("GetRecommendation")
            .WithSummary("One recommendation; CSV (format=csv) and an Excel workbook (format=xlsx) have one row per channel.");
        return group;
    }

    private static async Task<Results<Created<RecommendationResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string ws, CreateRecommendationRequest request, RecommendationService planner, CancellationToken ct)
    {
        switch (await planner.CreateAsync(ws, request, ct))
        {
            case RecommendationService.Planned planned:
                return TypedResults.Created($"/v1/workspaces/{ws}/recommendations/{planned.Recommendation.Id}", planned.Recommendation);
            case RecommendationService.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors);
            case RecommendationService.NoCurves none:
                // The route exists and the request is well formed; what it asks for cannot be planned from the stored state.
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No curves", detail: none.Detail);
            case RecommendationService.Infeasible infeasible:
                var problem = new ProblemDetails
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "No plan meets every limit",
                    Detail = string.Join(" ", infeasible.Result.Clashes.Select(c => c.Explanation)),
                    Extensions =
                    {
                        ["solver_status"] = infeasible.Result.SolverStatus,
                        ["clashes"] = infeasible.Result.Clashes.Select(c => new { subject = c.Subject, limit = c.Limit, required = c.Required, achievable = c.Achievable, explanation = c.Explanation }).ToList(),
                    },
                };
                return TypedResults.Problem(problem);
            default:
                throw new InvalidOperationException("unknown planning outcome");
        }
    }

    private sealed record Row(RecommendationResponse Recommendation, RecommendationLine Line);

    private static readonly IReadOnlyList<CsvColumn<Row>> Columns =
    [
        CsvColumn<Row>.Text("recommendation_id", r => r.Recommendation.Id.ToString()),
        CsvColumn<Row>.Date("week", r => r.Recommendation.Week),
        CsvColumn<Row>.Text("channel", r => r.Line.Channel),
        CsvColumn<Row>.Money("current_spend", r => r.Line.CurrentSpend),
        CsvColumn<Row>.Money("recommended_spend", r => r.Line.RecommendedSpend),
        CsvColumn<Row>.Share("change", r => r.Line.Change),
        CsvColumn<Row>.Count("current_conversions", r => r.Line.CurrentConversions),
        CsvColumn<Row>.Count("conversions", r => r.Line.Conversions),
        CsvColumn<Row>.Count("customers", r => r.Line.Customers),
        CsvColumn<Row>.Money("revenue", r => r.Line.Revenue),
        CsvColumn<Row>.Money("cac", r => r.Line.Cac),
        CsvColumn<Row>.Months("payback_months", r => r.Line.PaybackMonths),
        CsvColumn<Row>.Ratio("clv_cac", r => r.Line.ClvCac),
        CsvColumn<Row>.Rate("marginal_return", r => r.Line.MarginalReturn),
        CsvColumn<Row>.Text("reason", r => Reasons.Code(r.Line.Reason)),
        CsvColumn<Row>.Text("explanation", r => r.Line.Explanation),
        CsvColumn<Row>.Factor("rise_weight", r => r.Line.RiseWeight),
        CsvColumn<Row>.Factor("fall_weight", r => r.Line.FallWeight),
        CsvColumn<Row>.Count("test_value", r => r.Line.TestValue),
        CsvColumn<Row>.Text("current_source", r => Reasons.Code(r.Line.CurrentSource)),
        CsvColumn<Row>.Share("payback_probability", r => r.Line.PaybackProbability),
        CsvColumn<Row>.Share("clv_cac_probability", r => r.Line.ClvCacProbability),
        CsvColumn<Row>.Text("unreachable_limits", r => r.Line.Unreachable is { } u ? string.Join(";", u.Limits) : ""),
        CsvColumn<Row>.Money("spend_where_limits_hold", r => r.Line.Unreachable?.SpendWhereMet),
        CsvColumn<Row>.Money("marginal_cac", r => r.Line.MarginalCac),
        CsvColumn<Row>.Money("clv", r => r.Line.Clv),
        CsvColumn<Row>.Text("clv_source", r => r.Line.ClvSource is { } s ? Reasons.Code(s) : ""),
        CsvColumn<Row>.Money("typed_clv", r => r.Line.TypedClv),
        CsvColumn<Row>.Money("fitted_clv", r => r.Line.FittedClv),
    ];

    /// <summary>
    /// The workbook's second sheet: the plan's totals, its gain across draws, the limits and band it was planned under, and
    /// how the solver did. Gains are in objective units: money unless the objective counts conversions.
    /// </summary>
    private static IReadOnlyList<XlsxSummaryItem> Totals(RecommendationResponse r)
    {
        var value = r.Objective == "conversions" ? CellKind.Count : CellKind.Money;
        JsonElement Stored(string part, string name) =>
            r.Request.ValueKind == JsonValueKind.Object && r.Request.TryGetProperty(part, out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty(name, out var v) ? v : default;
        double? Number(string part, string name) => Stored(part, name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
        string? Text(string part, string name) => Stored(part, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
        return
        [
            new("Recommendation", CellKind.Text, r.Id.ToString(), "id"),
            new("Week", CellKind.Date, r.Week, "week"),
            new("Created (UTC)", CellKind.Timestamp, r.CreatedAt, "created_at"),
            new("Objective", CellKind.Text, r.Objective, "objective"),
            new("Spend today", CellKind.Money, r.Lines.Sum(l => l.CurrentSpend), "sum of lines[].current_spend"),
            new("Spend recommended", CellKind.Money, r.Lines.Sum(l => l.RecommendedSpend), "sum of lines[].recommended_spend"),
            new("Conversions today", CellKind.Count, r.Lines.Sum(l => l.CurrentConversions), "sum of lines[].current_conversions"),
            new("Conversions recommended", CellKind.Count, r.Lines.Sum(l => l.Conversions), "sum of lines[].conversions"),
            new("Customers recommended", CellKind.Count, r.Lines.Sum(l => l.Customers), "sum of lines[].customers"),
            new("Revenue recommended", CellKind.Money, r.Lines.Sum(l => l.Revenue), "sum of lines[].revenue"),
            new("Objective today", value, r.CurrentValue, "current_value"),
            new("Objective recommended", value, r.RecommendedValue, "recommended_value"),
            new("Expected gain per week", value, r.Gain.Expected, "gain.expected"),
            new("Gain p10", value, r.Gain.P10, "gain.p10"),
            new("Gain p50", value, r.Gain.P50, "gain.p50"),
            new("Gain p90", value, r.Gain.P90, "gain.p90"),
            new("P(gain > 0)", CellKind.Share, r.Gain.ProbabilityPositive, "gain.probability_positive"),
            new("Draws", CellKind.Integer, (long)r.Gain.Draws, "gain.draws"),
            new("Budget", CellKind.Money, Number("request", "budget"), "request.request.budget"),
            new("Budget mode", CellKind.Text, Text("request", "budget_mode"), "request.request.budget_mode"),
            new("Limit scope", CellKind.Text, Text("request", "limit_scope"), "request.request.limit_scope"),
            new("Band min", CellKind.Share, Number("parameters", "band_min"), "request.parameters.band_min"),
            new("Band max", CellKind.Share, Number("parameters", "band_max"), "request.parameters.band_max"),
            new("Max payback (months)", CellKind.Months, Number("parameters", "max_payback_months"), "request.parameters.max_payback_months"),
            new("Min CLV:CAC", CellKind.Ratio, Number("parameters", "min_clv_cac"), "request.parameters.min_clv_cac"),
            new("Solver status", CellKind.Text, r.Solver.Status, "solver.status"),
            new("Solver relative gap", CellKind.Share, r.Solver.RelativeGap, "solver.relative_gap"),
            new("Approximation error", value, r.Solver.ApproximationError, "solver.approximation_error"),
        ];
    }

    private static IEnumerable<Row> Rows(IEnumerable<RecommendationResponse> items) => items.SelectMany(r => r.Lines.Select(l => new Row(r, l)));

    private static async Task<Results<Ok<Page<RecommendationResponse>>, CsvResult<Row>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, RecommendationStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListAsync(ws, null, q, n, ct), options.Value.MaxPageSize, Rows, Columns, "recommendations");

    private static Task<Results<Ok<RecommendationResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Latest(string ws, HttpRequest request,
        RecommendationStore store, [QueryChoices("json", "csv", "xlsx")] string? format = null, CancellationToken ct = default) => One(ws, null, request, store, format, ct);

    private static Task<Results<Ok<RecommendationResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Get(string ws, Guid id, HttpRequest request,
        RecommendationStore store, [QueryChoices("json", "csv", "xlsx")] string? format = null, CancellationToken ct = default) => One(ws, id, request, store, format, ct);

    private static async Task<Results<Ok<RecommendationResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> One(string ws, Guid? id,
        HttpRequest request, RecommendationStore store, string? format, CancellationToken ct)
    {
        var found = await store.GetAsync(ws, id, ct);
        if (found is null)
            return TypedResults.Problem(statusCode: 404, title: "Recommendation not found",
                detail: id is null ? "No recommendation yet: POST …/recommendations." : $"Workspace '{ws}' has no recommendation {id}.");
        var name = $"recommendation-{found.Week:yyyy-MM-dd}";
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
            return new XlsxResult<Row>(Rows([found]), Columns, name, $"Week of {found.Week:yyyy-MM-dd}", Totals(found), currency: found.Currency);
        return ListResults.WantsCsv(request, format) ? new CsvResult<Row>(Rows([found]), Columns, name, null) : TypedResults.Ok(found);
    }
}
