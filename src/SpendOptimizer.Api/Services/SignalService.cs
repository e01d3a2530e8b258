using System.Text.Json;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Forecasting;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Services;

/// <summary>Forecasts and anomalies of each channel's weekly series (the ssa model), and the anomalies among rows just loaded.</summary>
public sealed class SignalService(ModelCatalogue catalogue, PerformanceStore performance, WorkspaceStore workspaces,
    IOptions<SpendOptimizerOptions> options)
{
    private ResolvedParameters Parameters(int? window, int? components, int? horizon, double? threshold)
    {
        var overrides = new Dictionary<string, JsonElement>();
        void Set(string name, double? value) { if (value is { } v) overrides[name] = JsonSerializer.SerializeToElement(v); }
        Set("window", window);
        Set("components", components);
        Set("horizon", horizon);
        Set("anomaly_threshold", threshold);
        return catalogue.Resolve(catalogue.Get(ServiceModels.Ssa), overrides);
    }

    public static SsaSettings Settings(ResolvedParameters p) =>
        new(p.Integer("window"), p.Integer("components"), p.Integer("horizon"), p.Number("anomaly_threshold"));

    public async Task<Outcome<IReadOnlyList<WeeklyAnomaly>>> AnomaliesAsync(string ws, DateOnly? from, DateOnly? to, int? window, int? components,
        double? threshold, CancellationToken ct)
    {
        var p = Parameters(window, components, null, threshold);
        if (p.Errors.Count > 0) return new Outcome<IReadOnlyList<WeeklyAnomaly>>.Invalid(p.Errors.ToDictionary());
        var histories = ChannelHistory.Build(await performance.WeeklyAsync(ws, null, null, ct));
        return WeeklySignals.Anomalies(histories, Settings(p))
            .Where(a => (from is null || a.Week >= from) && (to is null || a.Week <= to))
            .OrderBy(a => a.Week).ThenBy(a => a.Channel, StringComparer.Ordinal).ToList();
    }

    public async Task<Outcome<IReadOnlyList<WeeklyForecast>>> ForecastAsync(string ws, string metric, int? horizon, int? window, int? components,
        CancellationToken ct)
    {
        var p = Parameters(window, components, horizon, null);
        var errors = p.Errors.ToDictionary();
        if (!WeeklySignals.Metrics.Contains(metric)) errors["metric"] = ["must be spend or conversions"];
        if (errors.Count > 0) return new Outcome<IReadOnlyList<WeeklyForecast>>.Invalid(errors);
        var histories = ChannelHistory.Build(await performance.WeeklyAsync(ws, null, null, ct));
        return WeeklySignals.Forecasts(histories, Settings(p), metric).ToList();
    }

    /// <summary>
    /// Stores performance rows read once the workspace's week start is known (weekly rows must fall on it), refusing rows whose
    /// week is already loaded at the other grain; then flags the unusual weeks among those just loaded, judged against each
    /// channel's whole history.
    /// </summary>
    public async Task<PerformanceUpsertResult> UpsertAsync(string ws, Grain period, Func<DayOfWeek, Task<List<Positioned<PerformanceRow>>>> read,
        CancellationToken ct)
    {
        var weekStart = (await workspaces.SettingsAsync(ws, ct)).WeekStart;
        var positioned = await read(weekStart);
        var rows = positioned.ConvertAll(p => p.Value);
        var (result, clashes) = await performance.UpsertAsync(ws, rows, period, ct);
        if (result is null)
        {
            var at = positioned.ToDictionary(p => (p.Value.Date, p.Value.Channel));
            var errors = new RowErrors(options.Value.MaxReportedErrors);
            foreach (var c in clashes)
            {
                var p = at[(c.Date, c.Channel)];
                errors.Add(new RowError(p.Row, p.Line, "date", PerformanceUpload.Clash(period, c), c.Date.ToString("yyyy-MM-dd")));
            }
            errors.ThrowIfAny();
        }
        var touched = rows.Select(r => (Week: Weeks.StartOf(r.Date, weekStart), r.Channel)).ToHashSet();
        var histories = ChannelHistory.Build(await performance.WeeklyAsync(ws, null, null, ct));
        var anomalies = WeeklySignals.Anomalies(histories, Settings(Parameters(null, null, null, null)))
            .Where(a => touched.Contains((a.Week, a.Channel))).OrderBy(a => a.Week).ThenBy(a => a.Channel, StringComparer.Ordinal).ToList();
        return new PerformanceUpsertResult(result!.Received, result.Inserted, result.Updated, result.Unchanged, anomalies);
    }
}
