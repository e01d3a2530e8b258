using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Worlds;
using SpendOptimizer.Worlds.Search;

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

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 210).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MipMatchesBruteForceAndNeverBreaksARule(int seed)
    {
        var p = SyntheticAllocation.SmallProblem(seed);
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
