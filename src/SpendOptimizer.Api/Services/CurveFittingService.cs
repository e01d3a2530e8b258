using System.Text.Json;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Incrementality;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Api.Services;

/// <summary>Fits and stores one curve per channel on weekly calibrated incremental conversions.</summary>
public sealed class CurveFittingService(ModelCatalogue catalogue, CalibrationService calibration, ResponseCurveStore store,
    IOptions<SpendOptimizerOptions> options, TimeProvider clock)
{
    /// <summary>The stored fit, or errors by field (a missing attribution run is "attribution_run_id").</summary>
    public async Task<(StoredFit? Fit, Dictionary<string, string[]> Errors)> FitAsync(string ws, FitResponseCurvesRequest request, CancellationToken ct)
    {
        var (made, errors) = await MakeAsync(ws, request, ct);
        if (made is null) return (null, errors);
        await store.SaveAsync(ws, made.Fit, made.Parameters, ct);
        return (made.Fit, errors);
    }

    /// <summary>The fit <see cref="FitAsync"/> would store, made but not stored, or errors by field.</summary>
    public async Task<(UnsavedFit? Fit, Dictionary<string, string[]> Errors)> MakeAsync(string ws, FitResponseCurvesRequest request, CancellationToken ct)
    {
        var model = catalogue.Get(ServiceModels.AdstockHill);
        var parameters = catalogue.Resolve(model, request.Parameters);
        var rule = catalogue.Resolve(catalogue.Get(ServiceModels.LiftCalibration), request.Calibration);
        var errors = parameters.Errors.Concat(rule.Errors.Select(e => KeyValuePair.Create("calibration." + e.Key["parameters.".Length..], e.Value))).ToDictionary();
        if (request.From > request.To) errors["to"] = ["is before from"];
        if (errors.Count > 0) return (null, errors);

        var data = await calibration.CalibrateAsync(ws, request.From, request.To, null, request.AttributionRunId, CalibrationService.Rule(rule), ct);
        if (data is null) return (null, new() { ["attribution_run_id"] = [$"workspace '{ws}' has no attribution run {request.AttributionRunId}"] });
        if (data.Channels.Count == 0) return (null, new() { ["from"] = ["no performance data in this window; PUT …/performance first"] });
        if (data.Channels.Count > options.Value.MaxChannels)
            throw new Core.TooLargeException("from", $"{data.Channels.Count:N0} channels have performance data in this window; curves and plans take at most {options.Value.MaxChannels:N0} (SpendOptimizer:MaxChannels)");

        var weeks = data.Channels.Max(h => h.Spend.Length);
        if (weeks < ResponseCurveFit.MinWeeks)
            return (null, new() { ["from"] = [$"curves need at least {ResponseCurveFit.MinWeeks} weeks of performance data; this window has {weeks}: load more weeks or widen the window"] });

        var priors = Priors(parameters, model);
        var fitted = new List<(ChannelHistory History, ChannelFactor Factor, double Mean, double Sd, double[] Incremental)>();
        foreach (var history in data.Channels)
        {
            var factor = data.Factors.Single(f => f.Channel == history.Channel);
            var (mean, sd) = request.UseLiftTests ? (factor.Mean, factor.Sd) : (1.0, 0.0);
            var incremental = history.Attributed.Select(a => a * mean).ToArray();
            if (history.Spend.Length < ResponseCurveFit.MinWeeks || history.Spend.All(s => s == 0) || incremental.All(y => y == 0)) continue;
            if (incremental.Any(y => !double.IsFinite(y)) || history.Spend.Any(x => !double.IsFinite(x)))
                return (null, new() { [request.UseLiftTests ? "use_lift_tests" : "from"] = [$"channel '{history.Channel}': its weekly spend or calibrated response (attributed × factor {mean:G4}) is beyond the range a curve can be fitted to; check its lift tests and performance rows"] });
            fitted.Add((history, factor, mean, sd, incremental));
        }
        var series = fitted.Select(f => (f.History.Spend, Response: f.Incremental)).ToList();
        WorkProgress.Report($"fitting {series.Count} channels together", 0, 1, "fits");
        using var activity = Telemetry.Source.StartActivity("curve fit")?.SetTag("spendoptimizer.channels", series.Count).SetTag("spendoptimizer.weeks", weeks);
        var fits = DemandIndex.FitTogether(series, priors, SharedDemand(parameters) ? DemandIndex.Rounds : 0, ct).Fits;
        var curves = new List<StoredCurve>();
        foreach (var ((history, factor, mean, sd, _), fit) in fitted.Zip(fits))
        {
            var warnings = fit.Warnings.ToList();
            if (!request.UseLiftTests) warnings.Add("lift tests were not used: the curve trusts attribution as it is");
            else if (factor.PriorOnly)
                warnings.Add((factor.Journey, factor.Efficiency) switch
                {
                    (null, null) => "no lift test calibrates this channel: its factor is the prior, so the curve's level is uncertain",
                    (null, { } e) => $"no lift test calibrates this channel: its factor combines the prior with the value per spend of {e.Channels} tested channels; a lift test would pin its level",
                    ({ } j, _) => $"no lift test calibrates this channel: its factor combines the prior with journey attribution (run {data.JourneyRunId}) scaled by {j.Channels} tested channels" +
                                  (factor.Efficiency is null ? "" : " and with their value per spend") + "; a lift test would pin its level",
                });
            curves.Add(new StoredCurve(history.Channel, fit.Curve, fit.Covariance, fit.RSquared, fit.Mape, fit.ResidualSd, fit.Weeks,
                fit.MeanSpend, history.CurrentSpend, mean, sd, history.RevenuePerConversion, history.NewCustomersPerConversion, warnings));
        }
        var made = new StoredFit(Guid.CreateVersion7(), clock.GetUtcNow(), request.From, request.To, request.AttributionRunId, curves);
        return (new UnsavedFit(made, JsonSerializer.SerializeToElement(new { response = parameters.Values, calibration = rule.Values, use_lift_tests = request.UseLiftTests })), errors);
    }

    /// <summary>Whether the curves are fitted together with a shared weekly demand index (<see cref="DemandIndex"/>).</summary>
    public static bool SharedDemand(ResolvedParameters p) => p.Flag("shared_demand");

    /// <summary>The catalogue's bounds and priors; request overrides of theta, alpha and kappa_ratio move the prior means.</summary>
    public static CurvePriors Priors(ResolvedParameters p, ModelDefinition model)
    {
        ModelParameter Param(string name) => model.Parameters.Single(x => x.Name == name);
        var theta = Param("theta");
        var alpha = Param("alpha");
        var kappa = Param("kappa_ratio");
        return new CurvePriors(
            theta.Min ?? 0, theta.Max ?? 0.9, p.Number("theta"), theta.Prior?.Sd ?? 0.2,
            alpha.Min ?? 0.5, alpha.Max ?? 3, p.Number("alpha"), alpha.Prior?.Sd ?? 0.6,
            Math.Log(p.Number("kappa_ratio")), kappa.Prior?.Sd ?? 1,
            p.Integer("min_weeks"), p.Number("min_spend_cv"));
    }
}
