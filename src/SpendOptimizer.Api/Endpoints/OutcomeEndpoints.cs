using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Services;

namespace SpendOptimizer.Api.Endpoints;

public static class OutcomeEndpoints
{
    /// <summary>Recommendations the accuracy history reads at most: ten years of weekly plans.</summary>
    private const int MaxWeeks = 520;

    public static RouteGroupBuilder MapOutcomeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Recommendations");
        group.MapGet("/recommendations/{id:guid}/outcome", Outcome)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("GetRecommendationOutcome")
            .WithSummary("What the recommendation predicted and what happened in its week, per channel and in total (status waiting, partial or complete); CSV has one row per channel plus total.");
        group.MapGet("/recommendations/accuracy", Accuracy)
            .RequireRole(Role.Read)
            .WithName("GetRecommendationAccuracy")
            .WithSummary("Prediction error across recommended weeks (MAPE, WAPE, bias; model at the actual spend and plan as recommended); from/to filter the week, limit the count (default 52). CSV has one row per week.");
        return group;
    }

    private static readonly IReadOnlyList<CsvColumn<OutcomeLine>> LineColumns =
    [
        CsvColumn<OutcomeLine>.Text("channel", l => l.Channel),
        CsvColumn<OutcomeLine>.Integer("days_with_data", l => l.DaysWithData),
        CsvColumn<OutcomeLine>.Money("recommended_spend", l => l.RecommendedSpend),
        CsvColumn<OutcomeLine>.Money("actual_spend", l => l.ActualSpend),
        CsvColumn<OutcomeLine>.Share("spend_followed", l => l.SpendFollowed),
        CsvColumn<OutcomeLine>.Count("predicted_conversions", l => l.PredictedConversions),
        CsvColumn<OutcomeLine>.Count("expected_conversions", l => l.ExpectedConversions),
        CsvColumn<OutcomeLine>.Count("reported_conversions", l => l.ReportedConversions),
        CsvColumn<OutcomeLine>.Count("actual_conversions", l => l.ActualConversions),
        CsvColumn<OutcomeLine>.Factor("factor", l => l.Factor),
        CsvColumn<OutcomeLine>.Count("error", l => l.Error),
        CsvColumn<OutcomeLine>.Share("percent_error", l => l.PercentError),
        CsvColumn<OutcomeLine>.Money("predicted_revenue", l => l.PredictedRevenue),
        CsvColumn<OutcomeLine>.Money("expected_revenue", l => l.ExpectedRevenue),
        CsvColumn<OutcomeLine>.Money("actual_revenue", l => l.ActualRevenue),
    ];

    private static readonly IReadOnlyList<CsvColumn<AccuracyWeek>> WeekColumns =
    [
        CsvColumn<AccuracyWeek>.Text("recommendation_id", w => w.RecommendationId.ToString()),
        CsvColumn<AccuracyWeek>.Date("week", w => w.Week),
        CsvColumn<AccuracyWeek>.Text("status", w => w.Status.ToString().ToLowerInvariant()),
        CsvColumn<AccuracyWeek>.Money("recommended_spend", w => w.RecommendedSpend),
        CsvColumn<AccuracyWeek>.Money("actual_spend", w => w.ActualSpend),
        CsvColumn<AccuracyWeek>.Count("predicted_conversions", w => w.PredictedConversions),
        CsvColumn<AccuracyWeek>.Count("expected_conversions", w => w.ExpectedConversions),
        CsvColumn<AccuracyWeek>.Count("actual_conversions", w => w.ActualConversions),
        CsvColumn<AccuracyWeek>.Share("percent_error", w => w.PercentError),
    ];

    private static async Task<Results<Ok<RecommendationOutcome>, CsvResult<OutcomeLine>, ProblemHttpResult>> Outcome(string ws, Guid id,
        HttpRequest request, OutcomeService outcomes, [QueryChoices("json", "csv")] string? format = null, CancellationToken ct = default) =>
        await outcomes.OutcomeAsync(ws, id, ct) switch
        {
            Outcome<RecommendationOutcome>.Done(var outcome) => ListResults.WantsCsv(request, format)
                ? new CsvResult<OutcomeLine>([.. outcome.Lines, outcome.Total], LineColumns, $"outcome-{outcome.Week:yyyy-MM-dd}", null)
                : TypedResults.Ok(outcome),
            Outcome<RecommendationOutcome>.Missing(var title, var detail) => TypedResults.Problem(statusCode: 404, title: title, detail: detail),
            Outcome<RecommendationOutcome>.Conflict(var title, var detail) => TypedResults.Problem(statusCode: 409, title: title, detail: detail),
            var other => throw new InvalidOperationException($"unexpected outcome {other}"),
        };

    private static async Task<Results<Ok<AccuracyReport>, CsvResult<AccuracyWeek>>> Accuracy(string ws, [AsParameters] ListQuery query,
        HttpRequest request, OutcomeService outcomes, CancellationToken ct)
    {
        var report = await outcomes.AccuracyAsync(ws, query.Whole(), Math.Clamp(query.Limit ?? 52, 1, MaxWeeks), ct);
        return ListResults.WantsCsv(request, query.Format)
            ? new CsvResult<AccuracyWeek>(report.Weeks, WeekColumns, "accuracy", null)
            : TypedResults.Ok(report);
    }
}
