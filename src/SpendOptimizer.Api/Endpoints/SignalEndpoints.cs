using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Core.Forecasting;

namespace SpendOptimizer.Api.Endpoints;

public static class SignalEndpoints
{
    public static RouteGroupBuilder MapSignalEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Forecasts and anomalies");
        group.MapGet("/anomalies", Anomalies)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("ListAnomalies")
            .WithSummary("Weeks whose spend or conversions sit far from the channel's trend and seasonality (singular spectrum analysis, robust z-score).");
        group.MapGet("/forecast", Forecast)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("GetForecast")
            .WithSummary("Next weeks' baseline per channel with 90% intervals (singular spectrum analysis); metric spend or conversions.");
        return group;
    }

    private static readonly IReadOnlyList<CsvColumn<WeeklyAnomaly>> AnomalyColumns =
    [
        CsvColumn<WeeklyAnomaly>.Text("channel", a => a.Channel),
        CsvColumn<WeeklyAnomaly>.Date("week", a => a.Week),
        CsvColumn<WeeklyAnomaly>.Text("metric", a => a.Metric),
        CsvColumn<WeeklyAnomaly>.Count("value", a => a.Value),
        CsvColumn<WeeklyAnomaly>.Count("expected", a => a.Expected),
        CsvColumn<WeeklyAnomaly>.Ratio("score", a => a.Score),
    ];

    private static readonly IReadOnlyList<CsvColumn<WeeklyForecast>> ForecastColumns =
    [
        CsvColumn<WeeklyForecast>.Text("channel", f => f.Channel),
        CsvColumn<WeeklyForecast>.Date("week", f => f.Week),
        CsvColumn<WeeklyForecast>.Text("metric", f => f.Metric),
        CsvColumn<WeeklyForecast>.Count("value", f => f.Value),
        CsvColumn<WeeklyForecast>.Count("lower_90", f => f.Lower90),
        CsvColumn<WeeklyForecast>.Count("upper_90", f => f.Upper90),
    ];

    /// <param name="threshold">Robust z-score above which a week is flagged (default from the ssa model, 3.5).</param>
    private static async Task<Results<Ok<Page<WeeklyAnomaly>>, CsvResult<WeeklyAnomaly>, ValidationProblem>> Anomalies(
        string ws, [AsParameters] ListQuery query, HttpRequest request, SignalService signals,
        int? window = null, int? components = null, double? threshold = null, CancellationToken ct = default) =>
        await signals.AnomaliesAsync(ws, query.Whole().From, query.To, window, components, threshold, ct) switch
        {
            Outcome<IReadOnlyList<WeeklyAnomaly>>.Done(var rows) => ListResults.WantsCsv(request, query.Format)
                ? new CsvResult<WeeklyAnomaly>(rows, AnomalyColumns, "anomalies", null)
                : TypedResults.Ok(new Page<WeeklyAnomaly>(rows, null)),
            Outcome<IReadOnlyList<WeeklyAnomaly>>.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            var other => throw new InvalidOperationException($"unexpected signal outcome {other}"),
        };

    /// <param name="metric">conversions (default) or spend.</param>
    private static async Task<Results<Ok<IReadOnlyList<WeeklyForecast>>, CsvResult<WeeklyForecast>, ValidationProblem>> Forecast(
        string ws, HttpRequest request, SignalService signals,
        [QueryChoices("conversions", "spend")] string metric = "conversions", int? horizon = null, int? window = null, int? components = null, [QueryChoices("json", "csv")] string? format = null, CancellationToken ct = default) =>
        await signals.ForecastAsync(ws, metric, horizon, window, components, ct) switch
        {
            Outcome<IReadOnlyList<WeeklyForecast>>.Done(var rows) => ListResults.WantsCsv(request, format)
                ? new CsvResult<WeeklyForecast>(rows, ForecastColumns, "forecast", null)
                : TypedResults.Ok(rows),
            Outcome<IReadOnlyList<WeeklyForecast>>.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            var other => throw new InvalidOperationException($"unexpected signal outcome {other}"),
        };
}
