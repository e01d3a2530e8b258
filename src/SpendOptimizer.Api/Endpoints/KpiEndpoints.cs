using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Incrementality;

namespace SpendOptimizer.Api.Endpoints;

public static class KpiEndpoints
{
    public static RouteGroupBuilder MapKpiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("KPIs");
        group.MapGet("/kpis", Get)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("GetKpis")
            .WithSummary("Unit-economics KPIs per period (week, month or total) and channel plus the blend (channel \"all\"): spend, conversions, revenue, new customers, CAC, ROAS, payback months and CLV:CAC, attributed and incremental.");
        return group;
    }

    private static async Task<Results<Ok<KpiResponse>, CsvResult<KpiRow>, ValidationProblem>> Get(string ws, [AsParameters] KpiQuery query,
        HttpRequest request, PerformanceStore performance, EconomicsStore economics, CalibrationService calibration, ModelCatalogue catalogue,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<KpiGrain>(query.Grain ?? "week", ignoreCase: true, out var grain) || !Enum.IsDefined(grain))
            errors["grain"] = [$"'{query.Grain}' is not a grain; use week, month or total"];
        if (query.From > query.To) errors["to"] = ["is before from"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var periods = await performance.PeriodsAsync(ws, query.From, query.To, grain == KpiGrain.Total ? null : grain.ToString().ToLowerInvariant(), ct);
        var rule = CalibrationService.Rule(catalogue.Resolve(catalogue.Find("lift_calibration")!, null));
        var calibrated = (await calibration.CalibrateAsync(ws, null, null, null, null, rule, ct))!;
        var factors = calibrated.Factors.ToDictionary(f => f.Channel);
        var units = await economics.ListAsync(ws, ct);
        var rows = new List<KpiRow>();
        foreach (var period in periods.GroupBy(p => p.Period))
        {
            var channels = period.Select(p => (p.Channel, p.Totals, Factor: factors.GetValueOrDefault(p.Channel), Economics: CustomerValue.For(p.Channel, units))).ToList();
            foreach (var c in channels)
                rows.Add(Row(period.Key, c.Channel, [new KpiPart(c.Totals, c.Economics)], c.Factor?.Mean ?? rule.PriorMean, c.Factor));
            var blend = channels.Select(c => new KpiPart(c.Totals, c.Economics)).ToList();
            var reported = Kpis.Sum(blend.Select(p => p.Totals)).Conversions;
            var caused = channels.Sum(c => c.Totals.Conversions * (c.Factor?.Mean ?? rule.PriorMean));
            rows.Add(Row(period.Key, "all", blend, reported > 0 ? caused / reported : 1, null,
                channels.Select(c => c.Factor?.Mean ?? rule.PriorMean).ToList()));
        }
        return ListResults.WantsCsv(request, query.Format)
            ? new CsvResult<KpiRow>(rows, Columns, $"kpis-{grain.ToString().ToLowerInvariant()}", null)
            : TypedResults.Ok(new KpiResponse(grain, query.From, query.To, calibrated.AsOf, rows));
    }

    /// <param name="partFactors">Each part's own factor for a blend; a single channel uses <paramref name="factor"/>.</param>
    private static KpiRow Row(DateOnly period, string channel, IReadOnlyList<KpiPart> parts, double factor, ChannelFactor? interval,
        IReadOnlyList<double>? partFactors = null)
    {
        var incrementalParts = parts.Select((p, i) => p with { Totals = p.Totals.Incremental(partFactors?[i] ?? factor) }).ToList();
        var reported = Kpis.Sum(parts.Select(p => p.Totals));
        var incremental = Kpis.Sum(incrementalParts.Select(p => p.Totals));
        var a = Kpis.Measures(parts);
        var i = Kpis.Measures(incrementalParts);
        return new KpiRow(period, channel, reported.Spend, reported.Conversions, reported.Revenue, reported.NewCustomers,
            a.Cac, a.Roas, a.PaybackMonths, a.ClvCac, factor, interval?.Lower90, interval?.Upper90,
            incremental.Conversions, incremental.Revenue, incremental.NewCustomers, i.Cac, i.Roas, i.PaybackMonths, i.ClvCac);
    }

    private static readonly IReadOnlyList<CsvColumn<KpiRow>> Columns =
    [
        CsvColumn<KpiRow>.Date("period", r => r.Period),
        CsvColumn<KpiRow>.Text("channel", r => r.Channel),
        CsvColumn<KpiRow>.Money("spend", r => r.Spend),
        CsvColumn<KpiRow>.Count("conversions", r => r.Conversions),
        CsvColumn<KpiRow>.Money("revenue", r => r.Revenue),
        CsvColumn<KpiRow>.Count("new_customers", r => r.NewCustomers),
        CsvColumn<KpiRow>.Money("cac", r => r.Cac),
        CsvColumn<KpiRow>.Ratio("roas", r => r.Roas),
        CsvColumn<KpiRow>.Months("payback_months", r => r.PaybackMonths),
        CsvColumn<KpiRow>.Ratio("clv_cac", r => r.ClvCac),
        CsvColumn<KpiRow>.Factor("factor", r => r.Factor),
        CsvColumn<KpiRow>.Factor("factor_lower_90", r => r.FactorLower90),
        CsvColumn<KpiRow>.Factor("factor_upper_90", r => r.FactorUpper90),
        CsvColumn<KpiRow>.Count("incremental_conversions", r => r.IncrementalConversions),
        CsvColumn<KpiRow>.Money("incremental_revenue", r => r.IncrementalRevenue),
        CsvColumn<KpiRow>.Count("incremental_new_customers", r => r.IncrementalNewCustomers),
        CsvColumn<KpiRow>.Money("incremental_cac", r => r.IncrementalCac),
        CsvColumn<KpiRow>.Ratio("incremental_roas", r => r.IncrementalRoas),
        CsvColumn<KpiRow>.Months("incremental_payback_months", r => r.IncrementalPaybackMonths),
        CsvColumn<KpiRow>.Ratio("incremental_clv_cac", r => r.IncrementalClvCac),
    ];
}
