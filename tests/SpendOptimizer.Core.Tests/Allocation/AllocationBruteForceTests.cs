using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Simulation;

namespace SpendOptimizer.Core.Tests.Allocation;

/// <summary>
/// The MIP against exhaustive search over a grid of allowed plans on ≥ 200 seeded problems of 1–6 lines.
/// Every grid plan is feasible for the MIP, so the MIP must be at least as good (up to the stated piecewise-linear
/// tolerance); and the grid is within a Lipschitz slack of the continuous optimum, so the MIP can beat it by at most that.
/// </summary>
public sealed class AllocationBruteForceTests
{
    private const double Tolerance = 1e-3; // relative, on the objective: the approximation error target is 0.1%

    internal static Func<double, double> Hill(double beta, double kappa, double alpha) => s => s <= 0 ? 0 : beta / (1 + Math.Pow(kappa / s, alpha));

    internal static AllocationProblem RandomProblem(int seed)
    {
        var rng = new SeededRandom(seed);
        var n = 1 + seed % 6;
        var lines = new List<AllocationLine>();
        for (var i = 0; i < n; i++)
        {
            var s0 = Math.Round(rng.Uniform(1_000, 50_000));
            var alpha = rng.Uniform(0.6, 2.5);
            var kappa = s0 * rng.Uniform(0.3, 3);
            var beta = s0 / rng.Uniform(20, 200) / (1 / (1 + Math.Pow(kappa / s0, alpha)));
            var locked = rng.Uniform() < 0.1;
            double? min = rng.Uniform() < 0.15 ? s0 * rng.Uniform(0.85, 1.0) : null;
            double? max = rng.Uniform() < 0.15 ? s0 * rng.Uniform(1.0, 1.15) : null;
            lines.Add(new AllocationLine($"line{i}", s0, Hill(beta, kappa, alpha), rng.Uniform(0.4, 1), rng.Uniform(50, 300),
                rng.Uniform(100, 2000), rng.Uniform(10, 80), locked, min, max));
        }
        var mode = rng.Uniform() < 0.7 ? BudgetMode.Equal : BudgetMode.Cap;
        return new AllocationProblem(lines,
            Budget: lines.Sum(l => l.CurrentSpend) * (mode == BudgetMode.Cap ? rng.Uniform(0.9, 1.1) : 1),
            BudgetMode: mode,
            MaxPaybackMonths: rng.Uniform() < 0.5 ? rng.Uniform(4, 30) : null,
            MinClvCac: rng.Uniform() < 0.5 ? rng.Uniform(0.5, 4) : null,
            Objective: (Objective)rng.Integer(0, 4));
    }

    /// <summary>Allowed grid levels of a line: keep and `perSide` shares across each half of the band, within bounds and per-line limits.</summary>
    private static List<double> Levels(AllocationLine l, AllocationProblem p, int perSide)
    {
        var k = p.PerChannelLimits && !l.Locked ? p.SpendPerConversionLimit(l) : double.PositiveInfinity;
        bool Ok(double s) => s >= (l.Min ?? 0) - 1e-9 && s <= (l.Max ?? double.MaxValue) + 1e-9 && (s <= 0 || s <= k * l.Response(s));
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
        return levels;
    }

    private static bool Allowed(AllocationLine l, AllocationProblem p, double s)
    {
        var k = p.PerChannelLimits && !l.Locked ? p.SpendPerConversionLimit(l) : double.PositiveInfinity;
        if (s < (l.Min ?? 0) - 1e-6 || s > (l.Max ?? double.MaxValue) + 1e-6) return false;
        if (s > 1e-9 && s > k * l.Response(s) * (1 + 1e-9)) return false;
        var share = l.CurrentSpend > 0 ? Math.Abs(s / l.CurrentSpend - 1) : Math.Abs(s);
        if (share <= 1e-9) return true;
        return !l.Locked && share >= p.BandMin - 1e-7 && share <= p.BandMax + 1e-7;
    }

    /// <summary>
    /// Best grid plan. Under an equal budget one line takes whatever the others leave (each line in turn, since the
    /// best plan may need any of them to absorb the remainder) and must land in its allowed set.
    /// </summary>
    private static double? BruteForce(AllocationProblem p, int perSide, out double slack)
    {
        var lines = p.Lines;
        var n = lines.Count;
        var levels = lines.Select(l => Levels(l, p, perSide).ToArray()).ToList();
        double LineValue(int i, double s) => p.Worth(lines[i]) * lines[i].Response(s) - (p.Objective == Objective.Profit ? s : 0);
        var values = levels.Select((lv, i) => lv.Select(s => LineValue(i, s)).ToArray()).ToList();
        slack = lines.Select((l, i) => p.Worth(l) * MaxSlope(l, p) * l.CurrentSpend * (p.BandMax - p.BandMin) / (perSide - 1)).Sum() * 2;
        double? best = null;
        var equal = p.BudgetMode == BudgetMode.Equal;
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
                        value += LineValue(remainder, s);
                    }
                    else if (used > p.TargetBudget * (1 + 1e-12)) return;
                    if (best is null || value > best) best = value;
                    return;
                }
                if (i == remainder)
                {
                    Search(i + 1, used, value);
                    return;
                }
                for (var k = 0; k < levels[i].Length; k++) Search(i + 1, used + levels[i][k], value + values[i][k]);
            }
            Search(0, 0, 0);
        }
        return best;
    }

    private static double MaxSlope(AllocationLine l, AllocationProblem p)
    {
        var max = 0.0;
        for (var i = 0; i <= 50; i++)
        {
            var s = l.CurrentSpend * (1 - p.BandMax + 2 * p.BandMax * i / 50);
            max = Math.Max(max, Math.Abs(l.Response(s * 1.0001) - l.Response(s)) / (s * 0.0001));
        }
        return max + (p.Objective == Objective.Profit ? 1 : 0);
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 210).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MipMatchesBruteForceAndNeverBreaksARule(int seed)
    {
        var p = RandomProblem(seed);
        var perSide = p.Lines.Count switch { <= 3 => 41, 4 => 21, 5 => 11, _ => 7 };
        var brute = BruteForce(p, perSide, out var slack);
        var result = Allocator.Solve(p);

        if (brute is null)
        {
            // No grid plan: the MIP may still find a continuous one, but then it must keep every rule.
            if (!result.HasPlan) Assert.NotEmpty(result.Clashes);
        }
        else Assert.True(result.HasPlan, $"grid found {brute:F2} but the MIP says {result.Status}: {string.Join("; ", result.Clashes.Select(c => c.Explanation))}");
        if (!result.HasPlan) return;

        var scale = Math.Max(1, Math.Abs(result.RecommendedObjective));
        if (brute is { } b)
        {
            Assert.True(result.RecommendedObjective >= b - Tolerance * scale, $"MIP {result.RecommendedObjective:F4} < grid {b:F4}");
            Assert.True(result.RecommendedObjective <= b + slack + Tolerance * scale, $"MIP {result.RecommendedObjective:F4} > grid {b:F4} + slack {slack:F4}");
        }
        Assert.True(result.ApproximationError <= Tolerance * scale, $"approximation error {result.ApproximationError} on {scale}");
        var total = result.Lines.Sum(l => l.Recommended);
        if (p.BudgetMode == BudgetMode.Equal) Assert.Equal(p.TargetBudget, total, 1e-6 * p.TargetBudget);
        else Assert.True(total <= p.TargetBudget * (1 + 1e-9));
        foreach (var (line, plan) in p.Lines.Zip(result.Lines))
        {
            Assert.True(Allowed(line, p, plan.Recommended), $"{line.Name}: {plan.Recommended} from {line.CurrentSpend} breaks band, bound, lock or limit");
            if (line.Locked) Assert.Equal(StopReason.Lock, plan.Reason);
        }
    }
}
