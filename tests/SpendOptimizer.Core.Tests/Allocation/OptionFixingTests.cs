using Google.OrTools.LinearSolver;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Core.Tests.Allocation.AllocationBruteForceTests;

namespace SpendOptimizer.Core.Tests.Allocation;

/// <summary>Fixing options by the budget's price must never cut off an optimal plan, and must leave little to branch on.</summary>
public sealed class OptionFixingTests
{
    private static IReadOnlyList<LineOptions> Presolved(AllocationProblem p) => p.Lines.Select(l => Presolve.Line(l, p)).ToList();

    private static (Solver.ResultStatus Status, double Objective) SolveModel(AllocationProblem p, IReadOnlyList<LineOptions> options)
    {
        using var model = AllocationModel.Build(p, options);
        var status = model.Solve(60);
        return (status, status == Solver.ResultStatus.OPTIMAL ? model.Solver.Objective().Value() : double.NaN);
    }

    [Fact]
    public void AClearMoveIsFixedAndALineWhoseOptionsTieAtTheBudgetsPriceStaysOpen()
    {
        // Linear responses (concave, one piece per run), worth 1 per conversion: a returns 3 per unit, b returns 1.
        // At the budget's price λ = 1: a's rise to 120 scores 3·20 − 1·120 = −60, its keep −100, its fall −120, so only
        // the rise can be optimal; every option of b scores −100 (b's slope equals λ), so the price cannot tell them apart.
        AllocationLine Linear(string name, double slope) => new(name, 100, s => slope * s, 1, 1, 1, 1);
        var p = new AllocationProblem([Linear("a", 3), Linear("b", 1)], MaxPaybackMonths: null, MinClvCac: null, Objective: SpendOptimizer.Core.Allocation.Objective.Conversions);
        var options = Presolved(p);
        var open = OptionFixing.Reduce(p, options);

        var a = Assert.Single(open[0].Runs);
        Assert.Equal(110, a.Start, 9);
        Assert.Equal(120, a.End, 9);
        Assert.Equal(3, open[1].Runs.Count);
        var r = Allocator.Solve(p);
        Assert.Equal(120, r.Lines[0].Recommended, 6);
        Assert.Equal(80, r.Lines[1].Recommended, 6);
    }

    public static IEnumerable<object[]> Cases() =>
        Enumerable.Range(1, 60).SelectMany(seed => new[] { LimitScope.PerChannel, LimitScope.Both }.Select(scope => new object[] { seed, scope }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheReducedModelHasTheFullModelsOptimum(int seed, LimitScope scope)
    {
        // The brute-force problems (1–6 lines, equal or capped budget, limits, caution), with blended limits as well, and
        // every third one with a budget within ±3% instead.
        var p = SyntheticAllocation.SmallProblem(seed) with { LimitScope = scope };
        if (seed % 3 == 0) p = p with { BudgetMode = BudgetMode.Within, BudgetTolerance = 0.03 };
        var options = Presolved(p);
        if (options.Any(o => o.Runs.Count == 0)) return; // infeasible before any model is built: nothing to fix
        var full = SolveModel(p, options);
        var reduced = SolveModel(p, OptionFixing.Reduce(p, options));
        Assert.Equal(full.Status, reduced.Status);
        if (full.Status == Solver.ResultStatus.OPTIMAL) Assert.Equal(full.Objective, reduced.Objective, 1e-6 * Math.Abs(full.Objective));
    }

    [Theory]
    [InlineData(200, 3)]
    [InlineData(1000, 7)]
    public void OnManyLinesTheSolverBranchesOnlyOnAFewCloseCalls(int lines, int seed)
    {
        var p = SyntheticAllocation.WithCaution(SyntheticAllocation.Problem(lines, seed), seed);
        var options = Presolved(p);
        var open = OptionFixing.Reduce(p, options);
        var undecided = open.Count(o => o.Runs.Count > 1);
        Assert.True(undecided <= lines / 50, $"{undecided} of {lines} lines still have a choice");
        Assert.All(open.Zip(options), x => Assert.All(x.First.Runs, run => Assert.Contains(run, x.Second.Runs)));

        // the same optimum as the unreduced model, solved the same way
        var full = SolveModel(p, options);
        var reduced = SolveModel(p, open);
        Assert.Equal(Solver.ResultStatus.OPTIMAL, full.Status);
        Assert.Equal(full.Objective, reduced.Objective, 1e-6 * Math.Abs(full.Objective));
    }
}
