using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Services;

namespace SpendOptimizer.Api.Endpoints;

public static class BudgetCurveEndpoints
{
    public static RouteGroupBuilder MapBudgetCurveEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Recommendations");
        group.MapPost("/budget-curve", Create)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("CreateBudgetCurve")
            .WithSummary("What a budget buys: the best plan's value and gain (p10/p50/p90) at each total budget from today's × (1 + from) to × (1 + to); nothing is stored. CSV (Accept: text/csv) has one row per budget.");
        return group;
    }

    private static readonly IReadOnlyList<CsvColumn<BudgetCurvePointResponse>> Columns =
    [
        CsvColumn<BudgetCurvePointResponse>.Share("change", p => p.Change),
        CsvColumn<BudgetCurvePointResponse>.Money("budget", p => p.Budget),
        CsvColumn<BudgetCurvePointResponse>.Text("status", p => p.Status),
        CsvColumn<BudgetCurvePointResponse>.Count("value", p => p.Value),
        CsvColumn<BudgetCurvePointResponse>.Count("gain", p => p.Gain),
        CsvColumn<BudgetCurvePointResponse>.Count("p10", p => p.P10),
        CsvColumn<BudgetCurvePointResponse>.Count("p50", p => p.P50),
        CsvColumn<BudgetCurvePointResponse>.Count("p90", p => p.P90),
        CsvColumn<BudgetCurvePointResponse>.Share("probability_positive", p => p.ProbabilityPositive),
        CsvColumn<BudgetCurvePointResponse>.Rate("marginal_value", p => p.MarginalValue),
        CsvColumn<BudgetCurvePointResponse>.Text("explanation", p => p.Explanation),
    ];

    // CSV is asked for by Accept alone: a query parameter would be checked only after routing has refused a body of another type.
    private static async Task<Results<Ok<BudgetCurveResponse>, CsvResult<BudgetCurvePointResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string ws, BudgetCurveRequest request, HttpRequest http, BudgetCurveService curves, CancellationToken ct)
    {
        switch (await curves.CurveAsync(ws, request, ct))
        {
            case BudgetCurveService.Curved curved:
                return ListResults.WantsCsv(http, null)
                    ? new CsvResult<BudgetCurvePointResponse>(curved.Curve.Points, Columns, $"budget-curve-{curved.Curve.Week:yyyy-MM-dd}", null)
                    : TypedResults.Ok(curved.Curve);
            case RecommendationService.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors);
            case RecommendationService.NoCurves none:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No curves", detail: none.Detail);
            default:
                throw new InvalidOperationException("unknown budget curve outcome");
        }
    }
}
