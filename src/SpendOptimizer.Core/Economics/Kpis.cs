using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Economics;

/// <summary>Spend and results over a period.</summary>
public sealed record KpiTotals(double Spend, double Conversions, double Revenue, double NewCustomers)
{
    /// <summary>The results a channel caused, by its incrementality factor; spend is spend either way.</summary>
    public KpiTotals Incremental(double factor) => new(Spend, Conversions * factor, Revenue * factor, NewCustomers * factor);
}

/// <summary>One channel's totals with its unit economics (null when the workspace has none for it).</summary>
public sealed record KpiPart(KpiTotals Totals, UnitEconomics? Economics);

/// <summary>The ratios finance reads; null where a denominator is zero or economics are missing.</summary>
public sealed record KpiMeasures(double? Cac, double? Roas, double? PaybackMonths, double? ClvCac);

/// <summary>
/// Unit-economics KPIs of one channel or a blend of channels. A blend is summed before dividing, and each channel's
/// customers are valued with its own economics: payback = spend / Σ new_c · ARPA_c · margin_c and
/// CLV:CAC = Σ new_c · CLV_c / spend, which for one channel are CAC / (ARPA · margin) and CLV / CAC.
/// </summary>
public static class Kpis
{
    public static KpiTotals Sum(IEnumerable<KpiTotals> parts) => parts.Aggregate(new KpiTotals(0, 0, 0, 0),
        (a, b) => new KpiTotals(a.Spend + b.Spend, a.Conversions + b.Conversions, a.Revenue + b.Revenue, a.NewCustomers + b.NewCustomers));

    public static KpiMeasures Measures(IReadOnlyList<KpiPart> parts)
    {
        var total = Sum(parts.Select(p => p.Totals));
        var cac = total.NewCustomers > 0 ? total.Spend / total.NewCustomers : (double?)null;
        var roas = total.Spend > 0 ? total.Revenue / total.Spend : (double?)null;
        if (parts.Any(p => p.Economics is null)) return new KpiMeasures(cac, roas, null, null);
        var monthlyMargin = parts.Sum(p => p.Totals.NewCustomers * p.Economics!.ArpaMonthly * p.Economics.GrossMargin);
        var lifetimeValue = parts.Sum(p => p.Totals.NewCustomers * CustomerValue.Clv(p.Economics!));
        return new KpiMeasures(cac, roas,
            monthlyMargin > 0 ? total.Spend / monthlyMargin : null,
            total.Spend > 0 ? lifetimeValue / total.Spend : null);
    }

    /// <summary>
    /// Parts as reported and as caused: each part's conversions, revenue and new customers scaled by its own factor, the
    /// measures of both, and the factor of the whole (caused over reported conversions; 1 when nothing was reported).
    /// </summary>
    public static KpiBlend Blend(IReadOnlyList<KpiPart> parts, IReadOnlyList<double> factors)
    {
        var caused = parts.Select((p, i) => p with { Totals = p.Totals.Incremental(factors[i]) }).ToList();
        var reported = Sum(parts.Select(p => p.Totals));
        var incremental = Sum(caused.Select(p => p.Totals));
        return new KpiBlend(reported, Measures(parts), incremental, Measures(caused),
            reported.Conversions > 0 ? incremental.Conversions / reported.Conversions : 1);
    }
}

/// <summary>What <see cref="Kpis.Blend"/> finds: totals and measures as reported and as caused, and the factor of the whole.</summary>
public sealed record KpiBlend(KpiTotals Reported, KpiMeasures Attributed, KpiTotals Incremental, KpiMeasures Caused, double Factor);
