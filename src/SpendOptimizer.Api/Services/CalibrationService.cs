using System.Text.Json;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Incrementality;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// Reads what calibration needs from storage and runs it: per-channel history, lift tests, factors; channels without
/// tests also get journey attribution as a second opinion when the rule asks for it: the run the request names, so a fit
/// reads one run throughout, else the workspace's latest.
/// </summary>
public sealed class CalibrationService(PerformanceStore performance, LiftTestStore liftTests, AttributionRunStore runs, EconomicsStore economics,
    ModelCatalogue catalogue, TimeProvider clock)
{
    /// <summary>Overrides of the lift_calibration model and the run and day to calibrate with; null keeps the catalogue's default.</summary>
    public sealed record FactorQuery(DateOnly? AsOf = null, Guid? AttributionRunId = null, double? PriorMean = null, double? PriorSd = null,
        double? AgeHalfLifeDays = null, double? SpendDistanceScale = null, string? UntestedPrior = null, bool? PoolTested = null,
        bool? EfficiencyPrior = null);

    /// <summary>Each channel's factor with the catalogue's rule and the query's overrides.</summary>
    public async Task<Outcome<Calibrated>> FactorsAsync(string ws, FactorQuery q, CancellationToken ct)
    {
        var overrides = new Dictionary<string, JsonElement>();
        void Set(string name, double? value) { if (value is { } v) overrides[name] = JsonSerializer.SerializeToElement(v); }
        Set("prior_mean", q.PriorMean);
        Set("prior_sd", q.PriorSd);
        Set("age_half_life_days", q.AgeHalfLifeDays);
        Set("spend_distance_scale", q.SpendDistanceScale);
        if (q.UntestedPrior is not null) overrides["untested_prior"] = JsonSerializer.SerializeToElement(q.UntestedPrior);
        if (q.PoolTested is { } pool) overrides["pool_tested"] = JsonSerializer.SerializeToElement(pool);
        if (q.EfficiencyPrior is { } efficiency) overrides["efficiency_prior"] = JsonSerializer.SerializeToElement(efficiency);
        var parameters = catalogue.Resolve(catalogue.Get(ServiceModels.LiftCalibration), overrides);
        if (parameters.Errors.Count > 0) return new Outcome<Calibrated>.Invalid(parameters.Errors.ToDictionary());
        var result = await CalibrateAsync(ws, null, null, q.AsOf, q.AttributionRunId, Rule(parameters), ct);
        if (result is null) return new Outcome<Calibrated>.Missing("Attribution run not found", $"Workspace '{ws}' has no attribution run {q.AttributionRunId}.");
        return result;
    }

    /// <param name="JourneyRunId">The attribution run that informed untested channels (null: none did).</param>
    public sealed record Calibrated(IReadOnlyList<ChannelHistory> Channels, IReadOnlyList<ChannelFactor> Factors, CalibrationRule Rule,
        Guid? AttributionRunId, DateOnly AsOf, Guid? JourneyRunId);

    public static CalibrationRule Rule(ResolvedParameters p) =>
        new(p.Number("prior_mean"), p.Number("prior_sd"), p.Number("age_half_life_days"), p.Number("spend_distance_scale"),
            Enum.Parse<UntestedPrior>(p.Choice("untested_prior"), ignoreCase: true), p.Flag("pool_tested"), p.Flag("efficiency_prior"));

    /// <summary>Null when the attribution run does not exist in this workspace.</summary>
    public async Task<Calibrated?> CalibrateAsync(string ws, DateOnly? from, DateOnly? to, DateOnly? asOf, Guid? attributionRunId,
        CalibrationRule rule, CancellationToken ct)
    {
        IReadOnlyDictionary<string, double>? shares = null;
        AttributionRunResponse? named = null;
        if (attributionRunId is { } id)
        {
            named = await runs.GetAsync(ws, id, ct);
            if (named is null) return null;
            shares = named.Channels.ToDictionary(c => c.ChannelName, c => c.Share);
        }
        var weekly = await performance.WeeklyAsync(ws, from, to, ct);
        var history = ChannelHistory.Build(weekly, shares);
        var tests = await liftTests.AllAsync(ws, ct);
        var day = asOf ?? (history.Count > 0 ? history[0].Weeks[^1].AddDays(6) : DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var byChannel = history.ToDictionary(h => h.Channel);
        var factors = LiftCalibration.Calibrate(history.Select(h => h.Channel), tests, day, rule,
            history.ToDictionary(h => h.Channel, h => h.CurrentSpend),
            (channel, start, end) => byChannel.TryGetValue(channel, out var h) ? h.AttributedBetween(start, end) : null);
        if (rule.PoolTested) factors = PooledPrior.Apply(factors, rule);
        if (rule.EfficiencyPrior && factors.Any(f => f.PriorOnly))
        {
            var units = await economics.ListAsync(ws, ct);
            factors = EfficiencyPrior.Apply(factors, history.ToDictionary(h => h.Channel, h => h.Attributed.Length == 0 ? 0 : h.Attributed.Average()),
                history.ToDictionary(h => h.Channel, h => h.Spend.Length == 0 ? 0 : h.Spend.Average()),
                history.ToDictionary(h => h.Channel, h => CustomerValue.For(h.Channel, units) is { } e ? h.NewCustomersPerConversion * CustomerValue.Clv(e) : 0));
        }
        Guid? journeyRunId = null;
        if (rule.UntestedPrior == UntestedPrior.Journeys && factors.Any(f => f.PriorOnly) && (named ?? await runs.LatestAsync(ws, ct)) is { } source)
        {
            factors = JourneyPrior.Apply(factors, source.Channels.ToDictionary(c => c.ChannelName, c => c.Share),
                history.ToDictionary(h => h.Channel, h => h.Attributed.Length == 0 ? 0 : h.Attributed.Average()));
            journeyRunId = factors.Any(f => f.Journey is not null) ? source.Id : null;
        }
        return new Calibrated(history, factors, rule, attributionRunId, day, journeyRunId);
    }
}
