using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Worlds.Search;

/// <summary>
/// Exhaustive search over a grid of allowed plans: keep, or `perSide` evenly spaced shares across each half of the
/// band, plus the points where a limit or bound cuts the band. Under an equal budget one line takes whatever the
/// others leave (each line in turn) and must land in its allowed set. A reference for the MIP and for scoring
/// plans against a known truth; exponential in the number of lines, so for small problems only.
/// </summary>
public static class GridSearch
{
    /// <summary>Allowed grid levels of a line: keep and `perSide` shares across each half of the band, within bounds and per-line limits.</summary>
    public static List<double> Levels(AllocationLine l, AllocationProblem p, int perSide)
    {
        var k = p.PerChannelLimits && !l.Locked ? p.SpendPerConversionLimit(l) : double.PositiveInfinity;
        bool Ok(double s) => s >= (l.Min ?? 0) - 1e-9 && s <= (l.Max ?? double.MaxValue) + 1e-9 && (s <= 0 || s <= k * l.LimitCurve(s));
        var levels = new List<double>();
        if (Ok(l.CurrentSpend)) levels.Add(l.CurrentSpend);
        if (l.Locked) return levels;
        for (var i = 0; i < perSide; i++)
        {
            var share = p.BandMin + (p.BandMax - p.BandMin) * i / (perSide - 1);
            foreach (var s in new[] { l.CurrentSpend * (1 - share), l.CurrentSpend * (1 + share) })
                if (Ok(s)) levels.Add(s);
        }
        // Where a limit or bound cuts the band, the cut itself is a level: find it by a fine scan and bisection.
        foreach (var sign in new[] { -1, 1 })
        {
            double At(int i) => l.CurrentSpend * (1 + sign * (p.BandMin + (p.BandMax - p.BandMin) * i / 400.0));
            for (var i = 1; i <= 400; i++)
            {
                if (Ok(At(i - 1)) == Ok(At(i))) continue;
                double inside = Ok(At(i)) ? At(i) : At(i - 1), outside = Ok(At(i)) ? At(i - 1) : At(i);
                for (var k2 = 0; k2 < 60; k2++)
                {
                    var mid = (inside + outside) / 2;
                    if (Ok(mid)) inside = mid; else outside = mid;
                }
                levels.Add(inside);
            }
        }
        // A line that meets its limits nowhere is held at the allowed level closest to them, as the allocator holds it.
        if (levels.Count == 0 && p.PerChannelLimits && p.UnreachableLimits == UnreachableLimits.Closest
            && UnreachableLimit.Closest(l, p, Presolve.AllowedByBandAndBounds(l, p)) is { } closest)
            levels.Add(closest.Level);
        return levels;
    }

    public static bool Allowed(AllocationLine l, AllocationProblem p, double s)
    {
        var k = p.PerChannelLimits && !l.Locked ? p.SpendPerConversionLimit(l) : double.PositiveInfinity;
        if (s < (l.Min ?? 0) - 1e-6 || s > (l.Max ?? double.MaxValue) + 1e-6) return false;
        if (s > 1e-9 && s > k * l.LimitCurve(s) * (1 + 1e-9)) return false;
        var share = l.CurrentSpend > 0 ? Math.Abs(s / l.CurrentSpend - 1) : Math.Abs(s);
        if (share <= 1e-9) return true;
        return !l.Locked && share >= p.BandMin - 1e-7 && share <= p.BandMax + 1e-7;
    }

    /// <summary>
    /// Best grid plan. Under an equal budget one line takes whatever the others leave (each line in turn, since the
    /// best plan may need any of them to absorb the remainder) and must land in its allowed set; otherwise the total
    /// must lie in <see cref="AllocationProblem.BudgetRange"/>.
    /// </summary>
    public static double? Best(AllocationProblem p, int perSide, out double slack) => Best(p, perSide, out slack, out _);

    /// <param name="plan">Spend per line of the best grid plan (empty when there is none).</param>
    public static double? Best(AllocationProblem p, int perSide, out double slack, out double[] plan)
    {
        var lines = p.Lines;
        var n = lines.Count;
        var levels = lines.Select(l => Levels(l, p, perSide).ToArray()).ToList();
        var values = levels.Select((lv, i) => lv.Select(s => p.PlanningValue(lines[i], s)).ToArray()).ToList();
        slack = lines.Select(l => p.Worth(l) * Math.Max(1, Math.Max(l.RiseWeight, l.FallWeight)) * MaxSlope(l, p) * l.CurrentSpend * (p.BandMax - p.BandMin) / (perSide - 1)).Sum() * 2;
        double? best = null;
        var chosen = new double[n];
        var bestPlan = Array.Empty<double>();
        var equal = p.BudgetMode == BudgetMode.Equal;
        var (low, high) = p.BudgetRange;
        foreach (var remainder in equal ? Enumerable.Range(0, n) : [-1])
        {
            void Search(int i, double used, double value)
            {
                if (i == n)
                {
                    if (equal)
                    {
                        var s = p.TargetBudget - used;
                        if (!Allowed(lines[remainder], p, s)) return;
                        value += p.PlanningValue(lines[remainder], s);
                        chosen[remainder] = s;
                    }
                    else if (used > high + ExactGridSearch.Slack(high) || used < low - ExactGridSearch.Slack(high)) return;
                    if (best is null || value > best)
                    {
                        best = value;
                        bestPlan = (double[])chosen.Clone();
                    }
                    return;
                }
                if (i == remainder)
                {
                    Search(i + 1, used, value);
                    return;
                }
                for (var k = 0; k < levels[i].Length; k++)
                {
                    chosen[i] = levels[i][k];
                    Search(i + 1, used + levels[i][k], value + values[i][k]);
                }
            }
            Search(0, 0, 0);
        }
        plan = bestPlan;
        return best;
    }

    public static double MaxSlope(AllocationLine l, AllocationProblem p)
    {
        var max = 0.0;
        for (var i = 0; i <= 50; i++)
        {
            var s = l.CurrentSpend * (1 - p.BandMax + 2 * p.BandMax * i / 50);
            max = Math.Max(max, Math.Abs(l.Response(s * 1.0001) - l.Response(s)) / (s * 0.0001));
        }
        return max + (p.Objective == Objective.Profit ? 1 : 0);
    }

}
