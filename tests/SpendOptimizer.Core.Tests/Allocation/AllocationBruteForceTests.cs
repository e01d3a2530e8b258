using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.Allocation;

/// <summary>
/// The MIP against exhaustive search over a grid of allowed plans on ≥ 200 seeded problems of 1–6 lines.
/// Every grid plan is feasible for the MIP, so the MIP must be at least as good (up to the stated piecewise-linear
/// tolerance); and the grid is within a Lipschitz slack of the continuous optimum, so the MIP can beat it by at most that.
/// Some lines carry caution weights, which the plan is chosen by; the reported objective stays the central curves'.
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
            // A third of the lines carry caution: part of a rise counted on, a fall feared more than predicted.
            var cautious = rng.Uniform() < 0.35;
            lines.Add(new AllocationLine($"line{i}", s0, Hill(beta, kappa, alpha), rng.Uniform(0.4, 1), rng.Uniform(50, 300),
                rng.Uniform(100, 2000), rng.Uniform(10, 80), locked, min, max,
                RiseWeight: cautious ? rng.Uniform(0.2, 1) : 1, FallWeight: cautious ? rng.Uniform(1, 2) : 1));
        }
        var mode = rng.Uniform() < 0.7 ? BudgetMode.Equal : BudgetMode.Cap;
        return new AllocationProblem(lines,
            Budget: lines.Sum(l => l.CurrentSpend) * (mode == BudgetMode.Cap ? rng.Uniform(0.9, 1.1) : 1),
            BudgetMode: mode,
            MaxPaybackMonths: rng.Uniform() < 0.5 ? rng.Uniform(4, 30) : null,
            MinClvCac: rng.Uniform() < 0.5 ? rng.Uniform(0.5, 4) : null,
            Objective: (Objective)rng.Integer(0, 4));
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 210).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MipMatchesBruteForceAndNeverBreaksARule(int seed)
    {
        var p = RandomProblem(seed);
        var perSide = p.Lines.Count switch { <= 3 => 41, 4 => 21, 5 => 11, _ => 7 };
        var brute = GridSearch.Best(p, perSide, out var slack);
        var result = Allocator.Solve(p);

        if (brute is null)
        {
            // No grid plan: the MIP may still find a continuous one, but then it must keep every rule.
            if (!result.HasPlan) Assert.NotEmpty(result.Clashes);
        }
        else Assert.True(result.HasPlan, $"grid found {brute:F2} but the MIP says {result.Status}: {string.Join("; ", result.Clashes.Select(c => c.Explanation))}");
        if (!result.HasPlan) return;

        // The plan is chosen by the caution-weighted objective, so that is what brute force must not beat.
        var planned = Allocator.PlanningValue(p, result.Lines.Select(l => l.Recommended).ToArray());
        var scale = Math.Max(1, Math.Abs(planned));
        if (brute is { } b)
        {
            Assert.True(planned >= b - Tolerance * scale, $"MIP {planned:F4} < grid {b:F4}");
            Assert.True(planned <= b + slack + Tolerance * scale, $"MIP {planned:F4} > grid {b:F4} + slack {slack:F4}");
        }
        Assert.Equal(Allocator.Value(p, result.Lines.Select(l => l.Recommended).ToArray()), result.RecommendedObjective, 9);
        Assert.True(result.ApproximationError <= Tolerance * scale, $"approximation error {result.ApproximationError} on {scale}");
        var total = result.Lines.Sum(l => l.Recommended);
        if (p.BudgetMode == BudgetMode.Equal) Assert.Equal(p.TargetBudget, total, 1e-6 * p.TargetBudget);
        else Assert.True(total <= p.TargetBudget * (1 + 1e-9));
        foreach (var (line, plan) in p.Lines.Zip(result.Lines))
        {
            if (plan.Reason == StopReason.LimitUnreachable)
            {
                // Held at the allowed level closest to limits it meets nowhere: no grid level meets them, and it keeps band and bounds.
                Assert.Empty(GridSearch.Levels(line, p with { UnreachableLimits = UnreachableLimits.Refuse }, perSide));
                Assert.True(GridSearch.Allowed(line, p with { LimitScope = LimitScope.Blended }, plan.Recommended), $"{line.Name}: {plan.Recommended} breaks band or bound");
                // Held at the closest level whenever that leaves a plan; otherwise moved so that the budget holds (no grid plan then).
                if (brute is not null) Assert.Equal(GridSearch.Levels(line, p, perSide).Single(), plan.Recommended, 6);
                continue;
            }
            Assert.True(GridSearch.Allowed(line, p, plan.Recommended), $"{line.Name}: {plan.Recommended} from {line.CurrentSpend} breaks band, bound, lock or limit");
            if (line.Locked) Assert.Equal(StopReason.Lock, plan.Reason);
        }
    }
}
