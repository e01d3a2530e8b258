using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Planning;

namespace SpendOptimizer.Core.Tests.Planning;

/// <summary>
/// Exhaustive search over a grid path problem (<see cref="PathProblem.MoveShares"/> set): every sequence of moves per line,
/// adstock recursed exactly, every rule checked on the true curves. Returns the best value, or null when no path keeps the rules.
/// </summary>
internal static class PathBruteForce
{
    private sealed record LinePath(double[] Spend, double[] Response, double Value);

    public static double? Best(PathProblem p, out double[][]? best)
    {
        var factors = p.Moves().Select(m => m.Low).ToArray();
        var held = p.Lines.Select((_, i) => PathHold.Prefix(p, i)).ToArray();
        // The planner lets held cells move within the band when their levels leave some budget out of reach of every path.
        var release = held.Any(x => x.Any(u => u is not null)) && OutOfReach(p, held);
        var perLine = p.Lines.Select((_, i) => Paths(p, i, factors, held[i], release).ToList()).ToList();
        var rules = p.Rules;
        double? bestValue = null;
        best = null;
        var pick = new int[p.Lines.Count];
        var h = p.HorizonWeeks;
        while (true)
        {
            if (Feasible(p, perLine, pick, h))
            {
                var value = pick.Select((k, i) => perLine[i][k].Value).Sum();
                if (bestValue is null || value > bestValue)
                {
                    bestValue = value;
                    best = pick.Select((k, i) => perLine[i][k].Spend).ToArray();
                }
            }
            var d = 0;
            while (d < pick.Length && ++pick[d] == perLine[d].Count) pick[d++] = 0;
            if (d == pick.Length || perLine.Any(x => x.Count == 0)) break;
        }
        return bestValue;

        static bool Feasible(PathProblem p, List<List<LinePath>> perLine, int[] pick, int h)
        {
            var rules = p.Rules;
            if (perLine.Any(x => x.Count == 0)) return false;
            var all = 0.0;
            double horizonSpend = 0, horizonPayback = 0, horizonClv = 0;
            for (var t = 0; t < h; t++)
            {
                double spend = 0, payback = 0, clv = 0;
                for (var i = 0; i < pick.Length; i++)
                {
                    var (l, x) = (p.Lines[i], perLine[i][pick[i]]);
                    spend += x.Spend[t];
                    payback += l.MonthlyMarginPerCustomer * l.CustomersPerConversion * x.Response[t];
                    clv += l.Clv * l.CustomersPerConversion * x.Response[t];
                }
                var (low, high) = p.WeekRange(t);
                var eps = 1e-9 * Math.Max(1, spend);
                if (spend < low - eps || spend > high + eps) return false;
                all += spend;
                if (rules.BlendedLimits && p.BlendedOver == BlendedOver.Week && !Blended(rules, spend, payback, clv)) return false;
                (horizonSpend, horizonPayback, horizonClv) = (horizonSpend + spend, horizonPayback + payback, horizonClv + clv);
            }
            if (rules.BlendedLimits && p.BlendedOver == BlendedOver.Horizon && !Blended(rules, horizonSpend, horizonPayback, horizonClv)) return false;
            return p.TotalRange is not { } total || (all >= total.Low - 1e-9 * all && all <= total.High + 1e-9 * all);
        }

        static bool Blended(AllocationProblem rules, double spend, double payback, double clv) =>
            (rules.MaxPaybackMonths is not { } m || spend <= m * payback * (1 + 1e-9)) && (rules.MinClvCac is not { } r || r <= 0 || clv >= r * spend * (1 - 1e-9));
    }

    private static bool OutOfReach(PathProblem p, UnreachableLimit?[][] held)
    {
        var ranges = p.Lines.Select((_, i) => PathRange.Of(p, i, held[i])).ToArray();
        for (var t = 0; t < p.HorizonWeeks; t++)
        {
            var (low, high) = p.WeekRange(t);
            if (ranges.Sum(r => r.SpendLow[t]) > high * (1 + 1e-9) + 1e-9 || ranges.Sum(r => r.SpendHigh[t]) < low * (1 - 1e-9) - 1e-9) return true;
        }
        return p.TotalRange is { } total && (ranges.Sum(r => r.SpendLow.Sum()) > total.High * (1 + 1e-9) + 1e-9 || ranges.Sum(r => r.SpendHigh.Sum()) < total.Low * (1 - 1e-9) - 1e-9);
    }

    /// <summary>
    /// Every move sequence of one line that keeps its bounds and per-line limits, valued on its true curve; in the weeks it is held
    /// (<paramref name="held"/>) at its held level and without its limit, or at any move without its limit when <paramref name="release"/>.
    /// </summary>
    private static IEnumerable<LinePath> Paths(PathProblem p, int line, double[] factors, UnreachableLimit?[] held, bool release)
    {
        var (l, curve, h, rules) = (p.Lines[line], p.Curves[line], p.HorizonWeeks, p.Rules);
        var keeps = l.Locked || l.CurrentSpend == 0;
        var count = keeps ? 1 : (int)Math.Pow(factors.Length, h);
        var k = rules.PerChannelLimits && !l.Locked ? rules.SpendPerConversionLimit(l) : double.PositiveInfinity;
        for (var code = 0; code < count; code++)
        {
            var spend = new double[h];
            var previous = l.CurrentSpend;
            var c = code;
            for (var t = 0; t < h; t++)
            {
                if (held[t] is { } u && !release && !keeps) spend[t] = u.Level;
                else
                {
                    spend[t] = previous * (keeps ? 1 : factors[c % factors.Length]);
                    c /= factors.Length;
                }
                previous = spend[t];
            }
            // a held week uses no move of the code: skip the codes that differ only there
            if (!keeps && !release && c > 0) continue;
            var adstock = PathPlanner.Adstock(curve, spend);
            var response = adstock.Select(curve.Response).ToArray();
            var ok = true;
            for (var t = 0; t < h && ok; t++)
            {
                var eps = 1e-9 * Math.Max(1, spend[t]);
                ok = !(l.Min is { } min && spend[t] < min - eps) && !(l.Max is { } max && spend[t] > max + eps) && (held[t] is not null || spend[t] <= k * response[t] * (1 + 1e-12));
            }
            if (!ok) continue;
            var sub = new PathProblem(rules with { Lines = [l] }, [curve], h);
            yield return new LinePath(spend, response, PathPlanner.Value(sub, [spend]));
        }
    }
}
