using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Planning;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Tests.Planning;

/// <summary>The chosen path valued under draws of the curves, against draws whose effect on the objective is known by hand.</summary>
public sealed class PathUncertaintyTests
{
    [Fact]
    public void ScaledCurvesScaleTheValueAndTheGain()
    {
        // Objective conversions: the value is Σ β·Hill(A_t) (the last week weighted), linear in β, so a draw scaling every β by f
        // scales the path's value and its gain by f. Five draws, f = 2, 0.5, 1, 1.25, 0.8: sorted 0.5, 0.8, 1, 1.25, 2, and the
        // nearest order statistics at 10%, 50%, 90% are the 1st, 3rd and 5th.
        var p = PathFixtures.Random(7, 3, 4, carryOver: true, shares: null);
        p = p with { Rules = p.Rules with { Objective = Objective.Conversions, LimitScope = LimitScope.None } };
        var result = PathPlanner.Solve(p);
        Assert.True(result.HasPlan);
        var path = p.Lines.Select(l => (IReadOnlyList<double>)result.Cells.Where(c => c.Channel == l.Name).OrderBy(c => c.Week).Select(c => c.Spend).ToArray()).ToList();
        Assert.True(result.Gain > 0, $"the fixture should move: gain {result.Gain}");
        var factors = new[] { 2, 0.5, 1, 1.25, 0.8 };
        var draws = factors.Select(f => (IReadOnlyList<HillAdstock>)p.Curves.Select(c => c.Curve with { Beta = c.Curve.Beta * f }).ToList()).ToList();

        var spread = PathUncertainty.Evaluate(p, path, draws);

        var scale = Math.Abs(result.PlanValue);
        Assert.Equal(0.5 * result.PlanValue, spread.ValueP10, 1e-9 * scale);
        Assert.Equal(result.PlanValue, spread.ValueP50, 1e-9 * scale);
        Assert.Equal(2 * result.PlanValue, spread.ValueP90, 1e-9 * scale);
        Assert.Equal(0.5 * result.Gain, spread.Gain.P10, 1e-9 * scale);
        Assert.Equal(result.Gain, spread.Gain.P50, 1e-9 * scale);
        Assert.Equal(2 * result.Gain, spread.Gain.P90, 1e-9 * scale);
        Assert.Equal(1, spread.Gain.ProbabilityPositive);
        Assert.Equal(5, spread.Gain.Draws);
    }

    [Fact]
    public void ADrawThatUndoesTheMoveLosesAndIsCounted()
    {
        // One line moved up 10% a week; under a flat draw (β = 0) the extra spend buys nothing, so with the profit objective the
        // path loses exactly its extra spend; the two central draws gain what the path gains on the central curve.
        var curve = new HillAdstock(0.5, 1, 20_000, 1_000);
        var line = new AllocationLine("c", 10_000, curve.SteadyState, 1, 100, 100, 1);
        var rules = new AllocationProblem([line], Budget: 1e9, BudgetMode: BudgetMode.Cap, MaxPaybackMonths: null, MinClvCac: null, Objective: Objective.Profit);
        var p = new PathProblem(rules, [new PathCurve(curve, 20_000)], 3);
        double[][] path = [[11_000, 12_100, 13_310]];
        var flat = curve with { Beta = 0 };

        var spread = PathUncertainty.Evaluate(p, path, [[curve], [flat], [curve]]);

        var central = PathPlanner.Value(p, path) - PathPlanner.Value(p, PathPlanner.KeepToday(p));
        Assert.True(central > 0, $"under the central curve the rise should pay: {central}");
        var extra = (11_000 - 10_000) + (12_100 - 10_000) + (13_310 - 10_000);
        Assert.Equal(-extra, spread.Gain.P10, 1e-6);
        Assert.Equal(central, spread.Gain.P50, 1e-6);
        Assert.Equal(2 / 3.0, spread.Gain.ProbabilityPositive, 1e-12);
    }
}
