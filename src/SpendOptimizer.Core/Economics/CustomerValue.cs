using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Economics;

/// <summary>
/// Customer lifetime value and acquisition-cost measures.
/// CLV = Σ_{m=0}^{H−1} ARPA · margin · S(m) / (1 + r)^m with monthly rate r = (1 + annual)^(1/12) − 1 and
/// horizon H = 120 months; S(m) = (1 − churn)^m, or the supplied survival curve continued past its end at its last
/// month-over-month ratio. A CLV override replaces the formula.
/// </summary>
public static class CustomerValue
{
    public const int HorizonMonths = 120;

    public static double Clv(UnitEconomics e)
    {
        if (e.ClvOverride is { } clv) return clv;
        var rate = Math.Pow(1 + e.AnnualDiscountRate, 1.0 / 12) - 1;
        var monthlyMargin = e.ArpaMonthly * e.GrossMargin;
        var total = 0.0;
        for (var m = 0; m < HorizonMonths; m++) total += monthlyMargin * Survival(e, m) / Math.Pow(1 + rate, m);
        return total;
    }

    /// <summary>
    /// The CLV the typed inputs give. A row on fitted CLV needs no churn, so it gives one only when it states churn, a retention
    /// curve or a CLV of its own; otherwise its typed figure would be a single month's margin, which nobody typed.
    /// </summary>
    public static double? Typed(UnitEconomics e) =>
        e.ClvSource == ClvSource.Typed || e.ClvOverride is not null || e.MonthlyChurn is not null || e.RetentionCurve is { Count: > 0 } ? Clv(e) : null;

    /// <summary>Share of customers still active m months after acquisition (1 at month 0).</summary>
    public static double Survival(UnitEconomics e, int month)
    {
        if (e.RetentionCurve is { Count: > 0 } curve)
        {
            if (month < curve.Count) return curve[month];
            var last = curve[^1];
            var ratio = curve.Count >= 2 && curve[^2] > 0 ? last / curve[^2] : 1;
            return last * Math.Pow(ratio, month - curve.Count + 1);
        }
        return Math.Pow(1 - (e.MonthlyChurn ?? 1), month);
    }

    /// <summary>CAC = spend / incremental new customers.</summary>
    public static double Cac(double spend, double newCustomers) => newCustomers > 0 ? spend / newCustomers : double.PositiveInfinity;

    /// <summary>Payback months = CAC / (ARPA · gross margin): months of margin that repay acquiring one customer.</summary>
    public static double PaybackMonths(double cac, UnitEconomics e) =>
        e.ArpaMonthly * e.GrossMargin > 0 ? cac / (e.ArpaMonthly * e.GrossMargin) : double.PositiveInfinity;

    /// <summary>The economics row of a channel, or the workspace's "all" row.</summary>
    public static UnitEconomics? For(string channel, IEnumerable<UnitEconomics> rows)
    {
        UnitEconomics? all = null;
        foreach (var r in rows)
        {
            if (r.Channel == channel) return r;
            if (r.Channel == UnitEconomics.AllChannels) all = r;
        }
        return all;
    }
}
