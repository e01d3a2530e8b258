using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Core.Tests.Allocation;

public sealed class InformationValueTests
{
    // Linear responses, worth 1 per conversion, a move of exactly 20% or none, budget kept: with 100 on each line
    // the only plans are keep, "a up 20 / b down 20" (worth 20·(2 − β)) and "b up / a down" (worth 20·(β − 2)).
    private static AllocationLine Linear(string name, double slope, bool locked = false) => new(name, 100, s => slope * s, 1, 1, 1, 1, locked);

    private static AllocationProblem Problem(double centralB, bool lockA = false) =>
        new([Linear("a", 2, lockA), Linear("b", centralB)], BandMin: 0.2, BandMax: 0.2, MaxPaybackMonths: null, MinClvCac: null, Objective: Objective.Conversions);

    private static readonly double[] DrawnB = [3.5, 1, 2.5, 1.5, 3];

    private static List<Func<double, double>[]> Draws() =>
        DrawnB.Select(beta => new Func<double, double>[] { s => 2 * s, s => beta * s }).ToList();

    [Fact]
    public void KnowingTheDoubtfulLineIsWorthTheLossesItWouldAvoid()
    {
        // Central β = 2.3: the plan raises b (+6). Knowing β = 1 the best plan raises a instead: +20 against the plan's
        // −20, 40 better; β = 1.5: +10 against −10, 20 better; β = 2.5, 3, 3.5: the plan was right. Mean over the five
        // strata (one draw each): (40 + 20) / 5 = 12. Line a has no doubt: knowing it changes nothing.
        var p = Problem(2.3);
        var plan = Allocator.Solve(p).Lines.Select(l => l.Recommended).ToList();
        Assert.Equal([80, 120], plan.Select(x => Math.Round(x, 6)));
        var values = InformationValue.PerLine(p, plan, Draws(), maxLines: 2);
        Assert.Equal(0, values[0]!.Value, 6);
        Assert.Equal(12, values[1]!.Value, 6);
    }

    [Fact]
    public void WhenDoubtCannotChangeThePlanKnowingIsWorthNothing()
    {
        // a is locked, so b cannot move either (the budget is kept): no curve of b changes the plan.
        var p = Problem(2.3, lockA: true);
        var plan = Allocator.Solve(p).Lines.Select(l => l.Recommended).ToList();
        var values = InformationValue.PerLine(p, plan, Draws(), maxLines: 2);
        Assert.Equal(0, values[0]);
        Assert.Equal(0, values[1]!.Value, 9);
    }

    [Fact]
    public void LinesNotAskedForAreNotValuedAndTheWidestDoubtComesFirst()
    {
        var p = Problem(2.3);
        var plan = Allocator.Solve(p).Lines.Select(l => l.Recommended).ToList();
        Assert.Equal(new HashSet<int> { 1 }, InformationValue.Widest(p, Draws(), 1));
        var values = InformationValue.PerLine(p, plan, Draws(), maxLines: 1);
        Assert.Null(values[0]);
        Assert.NotNull(values[1]);
    }
}
