using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Core.Tests.Allocation;

public sealed class BudgetCurveTests
{
    private static AllocationLine Linear(string name, double a) => new(name, 10_000, s => a * s, 1, 100, 1000, 50);

    [Fact]
    public void ChangesRunFromEndToEndAndHitTodayExactly()
    {
        Assert.Equal([-0.3, -0.25, -0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3], BudgetCurve.Changes(-0.3, 0.3, 0.05));
        Assert.Equal([-0.1, 0.0, 0.1, 0.15], BudgetCurve.Changes(-0.1, 0.15, 0.1));
        Assert.Equal([0.0], BudgetCurve.Changes(0, 0, 0.05));
        Assert.Null(BudgetCurve.Count(0.1, -0.1, 0.05));
        Assert.Null(BudgetCurve.Count(-0.3, 0.3, 0));
        Assert.Null(BudgetCurve.Count(-0.3, 0.3, 0.001));
        Assert.Equal(13, BudgetCurve.Count(-0.3, 0.3, 0.05));
    }

    [Fact]
    public void TheBandShapesWhatEachStepOfBudgetBuys()
    {
        // A returns 1000 · 0.005 = 5 per unit, B 2; each may keep 10,000 or move 10–20%.
        // −20%: both at 8,000 (56,000). −10%: A kept, B at 8,000 (66,000): A cannot rise while B falls further than 20%.
        // 0%: A at 12,000, B at 8,000 (76,000). +10%: A at 12,000, B kept (80,000). +20%: both at 12,000 (84,000).
        // ±30%: beyond the band. Each step of 2,000 buys 5 per unit while A has room, then 2.
        var p = new AllocationProblem([Linear("a", 0.005), Linear("b", 0.002)], MaxPaybackMonths: null, MinClvCac: null);
        var points = BudgetCurve.Solve(p, BudgetCurve.Changes(-0.3, 0.3, 0.1), []);
        Assert.Equal([14_000, 16_000, 18_000, 20_000, 22_000, 24_000, 26_000], points.Select(x => Math.Round(x.Budget, 6)));
        Assert.False(points[0].Plan.HasPlan);
        Assert.Equal("budget", points[0].Plan.Clashes.Single().Limit);
        Assert.False(points[^1].Plan.HasPlan);
        Assert.Equal([56_000, 66_000, 76_000, 80_000, 84_000], points.Skip(1).Take(5).Select(x => Math.Round(x.Plan.RecommendedObjective, 3)));
        Assert.Equal([null, null, 5, 5, 2, 2, null], points.Select(x => x.MarginalValue is { } m ? Math.Round(m, 6) : (double?)null));
        Assert.All(points.Where(x => x.Plan.HasPlan), x => Assert.Equal(x.Budget, x.Plan.Lines.Sum(l => l.Recommended), 6));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(15)]
    public void EachPointIsTheAllocatorsPlanAtThatBudgetInParallelOrNot(int seed)
    {
        var p = SyntheticAllocation.Problem(12, seed);
        var changes = BudgetCurve.Changes(-0.2, 0.2, 0.1);
        // The central curves as the only draw: every quantile of the gain is the gain itself.
        var draws = new[] { p.Lines.Select(l => l.Response).ToArray() };
        var side = BudgetCurve.Solve(p, changes, draws, parallelism: 2);
        var alone = BudgetCurve.Solve(p, changes, draws, parallelism: 1);
        foreach (var (x, y) in side.Zip(alone))
        {
            var direct = Allocator.Solve(p with { Budget = x.Budget, BudgetMode = BudgetMode.Equal });
            Assert.Equal(direct.HasPlan, x.Plan.HasPlan);
            if (!direct.HasPlan) continue;
            Assert.Equal(direct.RecommendedObjective, x.Plan.RecommendedObjective, 6);
            Assert.Equal(y.Plan.RecommendedObjective, x.Plan.RecommendedObjective, 9);
            Assert.Equal(x.Plan.Gain, x.Gain.P10, 6);
            Assert.Equal(x.Plan.Gain, x.Gain.P90, 6);
        }
    }
}
