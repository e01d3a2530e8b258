using Microsoft.AspNetCore.Mvc;

namespace SpendOptimizer.Api.Endpoints;

public static class RecommendationEndpoints
{
    public static RouteGroupBuilder MapRecommendationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Recommendations");
        group.MapPost("/recommendations", Create)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            // With no curves yet the plan fits them first and stores that fit before planning.
            .WithMetadata(new KeptOnFailure("the response-curve fit it made first when the workspace had no curves yet (GET …/response-curves shows it; the next plan uses it)"))
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
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
        string ws, CreateRecommendationRequest request, RecommendationService planner, RecommendationStore store, CancellationToken ct)
    {
        var outcome = await planner.PlanAsync(ws, request, ct);
        switch (outcome)
        {
            case RecommendationService.Planned planned:
                await store.SaveAsync(ws, planned.Recommendation, ct);
                return TypedResults.Created($"/v1/workspaces/{ws}/recommendations/{planned.Recommendation.Id}", planned.Recommendation);
            case RecommendationService.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors);
            case RecommendationService.NoCurves none:
                return TypedResults.Problem(statusCode: 404, title: "No curves", detail: none.Detail);
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
        CsvColumn<Row>.Number("current_spend", r => r.Line.CurrentSpend),
        CsvColumn<Row>.Number("recommended_spend", r => r.Line.RecommendedSpend),
        CsvColumn<Row>.Number("change", r => r.Line.Change),
        CsvColumn<Row>.Number("current_conversions", r => r.Line.CurrentConversions),
        CsvColumn<Row>.Number("conversions", r => r.Line.Conversions),
        CsvColumn<Row>.Number("customers", r => r.Line.Customers),
        CsvColumn<Row>.Number("revenue", r => r.Line.Revenue),
        CsvColumn<Row>.Number("cac", r => r.Line.Cac),
        CsvColumn<Row>.Number("payback_months", r => r.Line.PaybackMonths),
        CsvColumn<Row>.Number("clv_cac", r => r.Line.ClvCac),
        CsvColumn<Row>.Number("marginal_return", r => r.Line.MarginalReturn),
        CsvColumn<Row>.Text("reason", r => Reasons.Code(r.Line.Reason)),
        CsvColumn<Row>.Text("explanation", r => r.Line.Explanation),
        CsvColumn<Row>.Number("rise_weight", r => r.Line.RiseWeight),
        CsvColumn<Row>.Number("fall_weight", r => r.Line.FallWeight),
        CsvColumn<Row>.Number("test_value", r => r.Line.TestValue),
        CsvColumn<Row>.Text("current_source", r => Reasons.Code(r.Line.CurrentSource)),
        CsvColumn<Row>.Number("payback_probability", r => r.Line.PaybackProbability),
        CsvColumn<Row>.Number("clv_cac_probability", r => r.Line.ClvCacProbability),
        CsvColumn<Row>.Text("unreachable_limits", r => r.Line.Unreachable is { } u ? string.Join(";", u.Limits) : ""),
        CsvColumn<Row>.Number("spend_where_limits_hold", r => r.Line.Unreachable?.SpendWhereMet),
    ];

    private static IEnumerable<Row> Rows(IEnumerable<RecommendationResponse> items) => items.SelectMany(r => r.Lines.Select(l => new Row(r, l)));

    private static async Task<Results<Ok<Page<RecommendationResponse>>, CsvResult<Row>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, RecommendationStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        var page = await store.ListAsync(ws, null, query, query.PageSize(options.Value.MaxPageSize), ct);
        return ListResults.WantsCsv(request, query.Format)
            ? new CsvResult<Row>(Rows(page.Items), Columns, "recommendations", page.NextCursor)
            : TypedResults.Ok(page);
    }

    private static Task<Results<Ok<RecommendationResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Latest(string ws, HttpRequest request,
        RecommendationStore store, string? format = null, CancellationToken ct = default) => One(ws, null, request, store, format, ct);

    private static Task<Results<Ok<RecommendationResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Get(string ws, Guid id, HttpRequest request,
        RecommendationStore store, string? format = null, CancellationToken ct = default) => One(ws, id, request, store, format, ct);

    private static async Task<Results<Ok<RecommendationResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> One(string ws, Guid? id,
        HttpRequest request, RecommendationStore store, string? format, CancellationToken ct)
    {
        var found = await store.GetAsync(ws, id, ct);
        if (found is null)
            return TypedResults.Problem(statusCode: 404, title: "Recommendation not found",
                detail: id is null ? "No recommendation yet: POST …/recommendations." : $"Workspace '{ws}' has no recommendation {id}.");
        var name = $"recommendation-{found.Week:yyyy-MM-dd}";
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
            return new XlsxResult<Row>(Rows([found]), Columns, name, $"Week of {found.Week:yyyy-MM-dd}");
        return ListResults.WantsCsv(request, format) ? new CsvResult<Row>(Rows([found]), Columns, name, null) : TypedResults.Ok(found);
    }
}
