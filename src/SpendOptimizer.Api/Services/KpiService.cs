using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Incrementality;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Services;

/// <summary>Unit-economics KPIs per period and channel, and their blend, attributed and incremental.</summary>
public sealed class KpiService(PerformanceStore performance, EconomicsStore economics, CalibrationService calibration, ModelCatalogue catalogue,
    CustomerValueService customerValue)
{
    /// <summary>Each period's KPIs per channel and blended, as reported and as caused (reported × the channel's factor).</summary>
    public async Task<Outcome<KpiResponse>> GetAsync(string ws, KpiQuery query, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<KpiGrain>(query.Grain ?? "week", ignoreCase: true, out var grain) || !Enum.IsDefined(grain) || int.TryParse(query.Grain, out _))
            errors["grain"] = [$"'{query.Grain}' is not a grain; use week, month or total"];
        if (query.From > query.To) errors["to"] = ["is before from"];
        if (errors.Count > 0) return new Outcome<KpiResponse>.Invalid(errors);

        var periods = await performance.PeriodsAsync(ws, query.From, query.To, grain == KpiGrain.Total ? null : grain.ToString().ToLowerInvariant(), ct);
        var rule = CalibrationService.Rule(catalogue.Resolve(catalogue.Get(ServiceModels.LiftCalibration), null));
        var calibrated = (await calibration.CalibrateAsync(ws, null, null, null, null, rule, ct))!;
        var factors = calibrated.Factors.ToDictionary(f => f.Channel);
        // A channel on fitted CLV takes its fit's CLV as plans do; without a fit its CLV figures are null rather than the typed formula's.
        var unresolved = new Dictionary<string, string[]>();
        var typed = await economics.ListAsync(ws, ct);
        var names = periods.Select(p => p.Channel).Distinct().ToList();
        var (units, _, fitted) = await customerValue.ResolveWithDrawsAsync(ws, typed, names, unresolved, ct, withFitted: true);
        var rows = new List<KpiRow>();
        foreach (var period in periods.GroupBy(p => p.Period))
        {
            var channels = period.Select(p => (p.Channel, p.Totals, Factor: factors.GetValueOrDefault(p.Channel), Economics: unresolved.ContainsKey($"economics.{p.Channel}") ? null : CustomerValue.For(p.Channel, units))).ToList();
            foreach (var c in channels)
            {
                var factor = c.Factor?.Mean ?? rule.PriorMean;
                var own = CustomerValue.For(c.Channel, typed);
                var fit = fitted.GetValueOrDefault(c.Channel);
                rows.Add(Row(period.Key, c.Channel, Kpis.Blend([new KpiPart(c.Totals, c.Economics)], [factor]), factor, c.Factor) with
                {
                    Clv = c.Economics is { } e ? Finite(CustomerValue.Clv(e)) : null,
                    ClvSource = own?.ClvSource,
                    TypedClv = own is null ? null : Finite(CustomerValue.Typed(own)),
                    FittedClv = fit?.Point,
                    FittedClvLower90 = fit?.P5,
                    FittedClvUpper90 = fit?.P95,
                });
            }
            var blend = Kpis.Blend(channels.Select(c => new KpiPart(c.Totals, c.Economics)).ToList(), channels.Select(c => c.Factor?.Mean ?? rule.PriorMean).ToList());
            rows.Add(Row(period.Key, "all", blend, blend.Factor, null));
        }
        return new KpiResponse(grain, query.From, query.To, calibrated.AsOf, rows);
    }

    private static KpiRow Row(DateOnly period, string channel, KpiBlend b, double factor, ChannelFactor? interval) =>
        new(period, channel, b.Reported.Spend, b.Reported.Conversions, b.Reported.Revenue, b.Reported.NewCustomers,
            b.Attributed.Cac, b.Attributed.Roas, b.Attributed.PaybackMonths, b.Attributed.ClvCac, factor, interval?.Lower90, interval?.Upper90,
            b.Incremental.Conversions, b.Incremental.Revenue, b.Incremental.NewCustomers, b.Caused.Cac, b.Caused.Roas, b.Caused.PaybackMonths, b.Caused.ClvCac);
}
