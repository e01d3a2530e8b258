using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds.Search;

namespace SpendOptimizer.Worlds.Tests.Search;

/// <summary>
/// Meet in the middle against trying every combination (<see cref="GridSearch.Best(AllocationProblem, int, out double, out double[])"/>)
/// on the brute-force problems of 1–5 lines, under a capped budget, a budget within a tolerance, and an equal budget
/// (which the exact search meets to ±1e-9, so brute force is asked for the same range).
/// </summary>
public sealed class ExactGridSearchTests
{
    public static IEnumerable<object[]> Cases() =>
        Enumerable.Range(1, 300).Where(s => s % 6 != 5).Take(240).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTryingEveryCombination(int seed)
    {
        var p = SyntheticAllocation.SmallProblem(seed);
        Assert.True(p.Lines.Count <= 5);
        var mode = seed % 3;
        var tolerance = mode switch { 0 => 0.0, 1 => 0.002 + 0.03 * (seed % 7) / 7.0, _ => 1e-9 };
        p = mode switch
        {
            0 => p with { BudgetMode = BudgetMode.Cap, Budget = p.TotalCurrent * (0.9 + 0.2 * (seed % 5) / 4.0) },
            1 => p with { BudgetMode = BudgetMode.Within, BudgetTolerance = tolerance, Budget = p.TotalCurrent * (0.97 + 0.06 * (seed % 5) / 4.0) },
            _ => p with { BudgetMode = BudgetMode.Equal, Budget = p.TotalCurrent },
        };
        var perSide = p.Lines.Count switch { <= 3 => 11, 4 => 7, _ => 5 };
        var brute = GridSearch.Best(mode == 2 ? p with { BudgetMode = BudgetMode.Within, BudgetTolerance = tolerance } : p, perSide, out _);
        var exact = ExactGridSearch.Best(p, perSide, equalTolerance: tolerance);

        Assert.Equal(brute is null, exact is null);
        if (exact is null) return;
        Assert.Equal(brute!.Value, exact.Value, 1e-9 * Math.Max(1, Math.Abs(brute.Value)));
        Assert.Equal(Allocator.PlanningValue(p, exact.Plan), exact.Value, 1e-9 * Math.Max(1, Math.Abs(exact.Value)));
        var (low, high) = mode == 2 ? (p.TargetBudget * (1 - tolerance), p.TargetBudget * (1 + tolerance)) : p.BudgetRange;
        Assert.InRange(exact.Plan.Sum(), low - 1e-9 * high, high + 1e-9 * high);
        for (var i = 0; i < p.Lines.Count; i++) Assert.Contains(exact.Plan[i], GridSearch.Levels(p.Lines[i], p, perSide));
    }

    [Fact]
    public void NoCombinationInsideTheBudgetRangeIsNoPlan()
    {
        var line = new AllocationLine("a", 100, s => s / 10, 1, 1, 100, 10);
        var p = new AllocationProblem([line, line with { Name = "b" }], Budget: 300, BudgetMode: BudgetMode.Within, BudgetTolerance: 0.01,
            MaxPaybackMonths: null, MinClvCac: null);
        Assert.Null(ExactGridSearch.Best(p, 11));
        Assert.NotNull(ExactGridSearch.Best(p with { Budget = 230 }, 11));
    }
}
