namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// Whether a line can meet its per-line limits (payback and CLV:CAC, as the ratio s ≤ K · g(s) of
/// <see cref="AllocationProblem.SpendPerConversionLimit"/>) at any level it is allowed (keep, or any share of the band, within
/// its bounds), and if not, the rule for it: its only allowed level is the one with the lowest cost per incremental
/// conversion s / g(s), the level that comes closest to both limits.
/// </summary>
public static class LimitReach
{
    /// <summary>True when some allowed level meets the line's per-line limits (always, when they do not apply).</summary>
    public static bool Meetable(AllocationLine l, AllocationProblem p)
    {
        var k = p.PerChannelLimits && !l.Locked ? p.SpendPerConversionLimit(l) : double.PositiveInfinity;
        if (double.IsPositiveInfinity(k)) return true;
        var s = ClosestLevel(l, p);
        return s <= 0 || s <= k * l.Response(s) * (1 + 1e-9);
    }

    /// <summary>The allowed level with the lowest spend per incremental conversion s / g(s) (today's spend when nothing else is allowed).</summary>
    public static double ClosestLevel(AllocationLine l, AllocationProblem p)
    {
        var s0 = l.CurrentSpend;
        var lo = l.Min ?? 0;
        var hi = l.Max ?? double.PositiveInfinity;
        double Cost(double s) => s <= 0 ? 0 : l.Response(s) > 0 ? s / l.Response(s) : double.PositiveInfinity;
        var best = s0;
        var bestCost = s0 >= lo - 1e-9 && s0 <= hi + 1e-9 ? Cost(s0) : double.PositiveInfinity;
        if (l.Locked || s0 <= 0) return best;
        foreach (var (a, b) in new[] { (s0 * (1 - p.BandMax), s0 * (1 - p.BandMin)), (s0 * (1 + p.BandMin), s0 * (1 + p.BandMax)) })
        {
            double from = Math.Max(a, lo), to = Math.Min(b, hi);
            if (from > to) continue;
            // A scan for the bracket, then golden section inside it (s / g(s) is quasi-convex for concave and Hill curves).
            const int steps = 200;
            var iBest = 0;
            var cBest = double.PositiveInfinity;
            for (var i = 0; i <= steps; i++)
            {
                var c = Cost(from + (to - from) * i / steps);
                if (c < cBest) (cBest, iBest) = (c, i);
            }
            double x0 = from + (to - from) * Math.Max(0, iBest - 1) / steps, x1 = from + (to - from) * Math.Min(steps, iBest + 1) / steps;
            var r = (Math.Sqrt(5) - 1) / 2;
            for (var it = 0; it < 100 && x1 - x0 > 1e-12 * Math.Max(1, x1); it++)
            {
                double m1 = x1 - r * (x1 - x0), m2 = x0 + r * (x1 - x0);
                if (Cost(m1) <= Cost(m2)) x1 = m2; else x0 = m1;
            }
            foreach (var s in new[] { from, to, from + (to - from) * iBest / steps, (x0 + x1) / 2 })
                if (Cost(s) < bestCost) (bestCost, best) = (Cost(s), s);
        }
        return best;
    }
}
