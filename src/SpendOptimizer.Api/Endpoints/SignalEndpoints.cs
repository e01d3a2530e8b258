using System.Text.Json;

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

    public static ResolvedParameters Parameters(ModelCatalogue catalogue, int? window, int? components, int? horizon, double? threshold)
    {
        var overrides = new Dictionary<string, JsonElement>();
        void Set(string name, double? value) { if (value is { } v) overrides[name] = JsonSerializer.SerializeToElement(v); }
        Set("window", window);
        Set("components", components);
        Set("horizon", horizon);
        Set("anomaly_threshold", threshold);
        return catalogue.Resolve(catalogue.Find("ssa")!, overrides);
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
        string ws, [AsParameters] ListQuery query, HttpRequest request, ModelCatalogue catalogue, PerformanceStore performance,
        int? window = null, int? components = null, double? threshold = null, CancellationToken ct = default)
    {
        var p = Parameters(catalogue, window, components, null, threshold);
        if (p.Errors.Count > 0) return TypedResults.ValidationProblem(p.Errors.ToDictionary());
        var histories = ChannelHistory.Build(await performance.WeeklyAsync(ws, null, null, ct));
        var rows = WeeklySignals.Anomalies(histories, p)
            .Where(a => (query.From is null || a.Week >= query.From) && (query.To is null || a.Week <= query.To))
            .OrderBy(a => a.Week).ThenBy(a => a.Channel, StringComparer.Ordinal).ToList();
        var page = new Page<WeeklyAnomaly>(rows, null);
        return ListResults.WantsCsv(request, query.Format) ? new CsvResult<WeeklyAnomaly>(rows, AnomalyColumns, "anomalies", null) : TypedResults.Ok(page);
    }

    /// <param name="metric">conversions (default) or spend.</param>
    private static async Task<Results<Ok<IReadOnlyList<WeeklyForecast>>, CsvResult<WeeklyForecast>, ValidationProblem>> Forecast(
        string ws, HttpRequest request, ModelCatalogue catalogue, PerformanceStore performance,
        string metric = "conversions", int? horizon = null, int? window = null, int? components = null, string? format = null, CancellationToken ct = default)
    {
        var p = Parameters(catalogue, window, components, horizon, null);
        var errors = p.Errors.ToDictionary();
        if (!WeeklySignals.Metrics.Contains(metric)) errors["metric"] = ["must be spend or conversions"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var histories = ChannelHistory.Build(await performance.WeeklyAsync(ws, null, null, ct));
        IReadOnlyList<WeeklyForecast> rows = WeeklySignals.Forecasts(histories, p, metric).ToList();
        return ListResults.WantsCsv(request, format) ? new CsvResult<WeeklyForecast>(rows, ForecastColumns, "forecast", null) : TypedResults.Ok(rows);
    }
}
