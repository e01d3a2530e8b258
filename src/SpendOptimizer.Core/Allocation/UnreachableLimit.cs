namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// A line that meets its per-line limits at no level the band and bounds allow, held at the allowed level that comes
/// closest. Payback s / (cust·g(s)·margin) and CLV:CAC CLV·cust·g(s) / s both improve as the cost per conversion
/// s / g(s) falls, so one level is closest to both: the allowed level with the lowest s / g(s) on the limit curve.
/// </summary>
/// <param name="Level">The spend the line is held at.</param>
/// <param name="Limits">The limits it breaks there: payback and/or clv_cac.</param>
/// <param name="PaybackMonths">Its payback at that level, on the curve the limits are judged on.</param>
/// <param name="ClvCac">Its CLV:CAC at that level, on the same curve.</param>
/// <param name="SpendWhereMet">The spend nearest the level at which both limits would hold (null: none on this curve).</param>
public sealed record UnreachableLimit(double Level, IReadOnlyList<string> Limits, double PaybackMonths, double ClvCac, double? SpendWhereMet)
{
    private const int Scan = 200;

    /// <summary>The closest allowed level for a line that meets the limits nowhere in <paramref name="stretches"/> (null: nothing allowed).</summary>
    /// <param name="stretches">The spend intervals the band and bounds allow, keep included as a zero-length one.</param>
    public static UnreachableLimit? Closest(AllocationLine line, AllocationProblem problem, IReadOnlyList<(double From, double To)> stretches)
    {
        var g = line.LimitCurve;
        double Cost(double s) => s <= 0 ? 0 : g(s) > 0 ? s / g(s) : double.PositiveInfinity;
        double? best = null;
        foreach (var (a, b) in stretches)
        {
            for (var i = 0; i <= Scan; i++)
            {
                var s = a + (b - a) * i / Scan;
                if (best is null || Cost(s) < Cost(best.Value)) best = s;
            }
        }
        if (best is not { } level) return null;
        // Refine between the neighbouring scan points of the stretch holding the best one (s / g(s) is smooth there).
        foreach (var (a, b) in stretches.Where(x => level >= x.From && level <= x.To && x.To > x.From))
        {
            var step = (b - a) / Scan;
            double lo = Math.Max(a, level - step), hi = Math.Min(b, level + step);
            for (var i = 0; i < 60; i++)
            {
                double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
                if (Cost(m1) <= Cost(m2)) hi = m2; else lo = m1;
            }
            if (Cost((lo + hi) / 2) < Cost(level)) level = (lo + hi) / 2;
        }
        var k = problem.SpendPerConversionLimit(line);
        var customers = g(level) * line.CustomersPerConversion;
        var payback = customers > 0 && line.MonthlyMarginPerCustomer > 0 ? level / customers / line.MonthlyMarginPerCustomer : double.PositiveInfinity;
        var ratio = level > 0 ? line.Clv * customers / level : double.PositiveInfinity;
        var limits = new List<string>();
        if (problem.MaxPaybackMonths is { } p && payback > p) limits.Add("payback");
        if (problem.MinClvCac is { } r && ratio < r) limits.Add("clv_cac");
        return new UnreachableLimit(level, limits, payback, ratio, NearestSpendWhereMet(g, k, level));
    }

    /// <summary>The spend nearest <paramref name="level"/> (on a log scale, down to 1/10,000 of it and up to 10×) with s ≤ K·g(s).</summary>
    private static double? NearestSpendWhereMet(Func<double, double> g, double k, double level)
    {
        if (!(level > 0) || double.IsPositiveInfinity(k)) return null;
        bool Ok(double s) => s <= k * g(s);
        for (var step = 1; step <= 470; step++)
        {
            foreach (var factor in new[] { Math.Pow(0.98, step), Math.Pow(1.02, step) })
            {
                var s = level * factor;
                if (factor > 10 || !Ok(s)) continue;
                double inside = s, outside = level * (factor < 1 ? Math.Pow(0.98, step - 1) : Math.Pow(1.02, step - 1));
                for (var i = 0; i < 60; i++)
                {
                    var mid = (inside + outside) / 2;
                    if (Ok(mid)) inside = mid; else outside = mid;
                }
                return inside;
            }
        }
        return null;
    }
}
