using SpendOptimizer.Core.Allocation;
using static SpendOptimizer.Core.Tests.Allocation.AllocationBruteForceTests;

namespace SpendOptimizer.Core.Tests.Allocation;

/// <summary>A fitted CLV's doubt joined with the curves': gain quantiles, limit probabilities and test values on paired draws.</summary>
public sealed class ClvDoubtTests
{
    // Two linear lines valued by CLV, one customer per conversion; the plan moves 20 from b to a: a's response +40, b's −20.
    private static AllocationLine Linear(string name, double slope, double clv) => new(name, 100, s => slope * s, 1, 1, clv, 1);

    private static AllocationProblem Problem(Objective objective = Objective.Clv, double clvA = 30) =>
        new([Linear("a", 2, clvA), Linear("b", 1, 30)], BandMin: 0.2, BandMax: 0.2, MaxPaybackMonths: null, MinClvCac: null, Objective: objective);

    private static readonly double[] Plan = [120, 80];

    /// <summary>The central curves themselves, n times: no curve doubt.</summary>
    private static List<Func<double, double>[]> Fixed(AllocationProblem p, int n) =>
        Enumerable.Range(0, n).Select(_ => p.Lines.Select(l => l.Response).ToArray()).ToList();

    [Fact]
    public void OnFixedCurvesTheGainQuantilesAreThoseOfResponseTimesClv()
    {
        // Gain_k = 40·CLV_a,k − 20·CLV_b,k: CLV_a 10 … 50 with CLV_b 30 gives −200, 200, 600, 1,000, 1,400.
        // Of five sorted gains the 0.1-, 0.5- and 0.9-quantiles are indices round(0.4) = 0, 2, round(3.6) = 4; four are above 0.
        var p = Problem();
        double[][] clv = [[30, 30], [10, 30], [50, 30], [20, 30], [40, 30]];
        var gain = PlanUncertainty.Evaluate(p, Plan, Fixed(p, 5), clv);
        Assert.Equal(-200, gain.P10, 9);
        Assert.Equal(600, gain.P50, 9);
        Assert.Equal(1_400, gain.P90, 9);
        Assert.Equal(0.8, gain.ProbabilityPositive, 12);
        // Without the CLV draws every draw is the central gain 40·30 − 20·30 = 600.
        var known = PlanUncertainty.Evaluate(p, Plan, Fixed(p, 5));
        Assert.Equal((600.0, 600.0, 600.0), (Math.Round(known.P10, 9), Math.Round(known.P50, 9), Math.Round(known.P90, 9)));
    }

    [Fact]
    public void AWiderClvSpreadWidensTheGainInProportion()
    {
        // Same seed, same picks; the gain is linear in CLV_a, so three times the spread around 30 is three times p90 − p10.
        var p = Problem();
        IReadOnlyList<double> Spread(double w) => [.. Enumerable.Range(0, 100).Select(j => 30 + w * (j / 99.0 - 0.5))];
        double Width(double w)
        {
            var clv = ClvDraws.Draw(p.Lines, [Spread(w), null], 400, seed: 7)!;
            var g = PlanUncertainty.Evaluate(p, Plan, Fixed(p, 400), clv);
            return g.P90 - g.P10;
        }
        var (narrow, wide) = (Width(10), Width(30));
        Assert.True(narrow > 0, $"p90 − p10 {narrow}");
        Assert.Equal(3 * narrow, wide, 6);
    }

    [Fact]
    public void DrawsPickFromTheStoredOnesReproduciblyAndKeepATypedClv()
    {
        var p = Problem();
        IReadOnlyList<double> stored = [11, 22, 33, 44];
        var first = ClvDraws.Draw(p.Lines, [stored, null], 200, seed: 3)!;
        Assert.Equal(first, ClvDraws.Draw(p.Lines, [stored, null], 200, seed: 3));
        Assert.NotEqual(first.Select(d => d[0]), ClvDraws.Draw(p.Lines, [stored, null], 200, seed: 4)!.Select(d => d[0]));
        Assert.All(first, d => Assert.Contains(d[0], stored));
        Assert.Equal(stored.Count, first.Select(d => d[0]).Distinct().Count());
        Assert.All(first, d => Assert.Equal(30, d[1]));
        Assert.Null(ClvDraws.Draw(p.Lines, [null, []], 200, seed: 3));
    }

    [Fact]
    public void ClvDrawsEqualToTheTypedClvGiveTodaysAnswers()
    {
        // The curves drawn (slopes × 0.6 … 1.4), the CLV drawn as each line's own: every figure is the one without CLV draws.
        var p = Problem(clvA: 25);
        var curves = Enumerable.Range(0, 9).Select(k => new Func<double, double>[] { s => (0.6 + 0.1 * k) * 2 * s, s => (1.4 - 0.1 * k) * s }).ToList();
        var same = curves.Select(_ => new double[] { 25, 30 }).ToArray();
        Assert.Equal(PlanUncertainty.Evaluate(p, Plan, curves), PlanUncertainty.Evaluate(p, Plan, curves, same));
        var plan = Allocator.Solve(p).Lines.Select(l => l.Recommended).ToList();
        Assert.Equal(InformationValue.PerLine(p, plan, curves, maxLines: 2), InformationValue.PerLine(p, plan, curves, maxLines: 2, clv: same));
    }

    [Fact]
    public void ObjectivesThatDoNotValueCustomersByClvIgnoreItsDoubt()
    {
        // Conversions: gain = 40 − 20 = 20 in every draw, whatever CLV is drawn.
        var p = Problem(Objective.Conversions);
        double[][] clv = [[10, 30], [50, 30], [90, 5]];
        var gain = PlanUncertainty.Evaluate(p, Plan, Fixed(p, 3), clv);
        Assert.Equal((20.0, 20.0, 20.0, 1.0), (Math.Round(gain.P10, 9), Math.Round(gain.P50, 9), Math.Round(gain.P90, 9), gain.ProbabilityPositive));
    }

    [Fact]
    public void TheClvCacProbabilityCountsClvDrawsAndPaybackDoesNot()
    {
        // g(s) = 400·s/(s + 10,000), g(10,000) = 200, one customer per conversion: CLV:CAC = CLV·200/10,000 = CLV/50 ≥ 1.5 for
        // CLV ≥ 75: of 50, 60, …, 150 the eight from 80. Payback = 10,000/200/50 = 1 month ≤ 1.2 in every draw.
        var curve = Hill(400, 10_000, 1);
        var line = new AllocationLine("a", 10_000, curve, 1, 100, 100, 50);
        var problem = new AllocationProblem([line], MinClvCac: 1.5, MaxPaybackMonths: 1.2);
        var draws = Enumerable.Repeat(curve, 11).ToList();
        var clv = Enumerable.Range(0, 11).Select(k => 50 + 10.0 * k).ToList();
        var (payback, clvCac) = LimitConfidence.Probabilities(line, problem, 10_000, draws, clv);
        Assert.Equal(1, payback!.Value, 12);
        Assert.Equal(8 / 11.0, clvCac!.Value, 12);
        Assert.Equal(1, LimitConfidence.Probabilities(line, problem, 10_000, draws).ClvCac!.Value, 12); // CLV 100 known: 2 ≥ 1.5
    }

    [Fact]
    public void KnowingADoubtfulClvIsWorthTheLossesItWouldAvoid()
    {
        // Certain curves a = 2s, b = s; a's CLV 1, b's central 2.3, so b is worth 2.3 a unit and a 2: the plan raises b (+6).
        // b's CLV drawn 3.5, 1, 2.5, 1.5, 3: knowing 1, raising a instead is +20 against the plan's −20 (40 better); knowing
        // 1.5, +10 against −10 (20 better); otherwise the plan was right. Mean over five strata: (40 + 20) / 5 = 12.
        var p = new AllocationProblem([Linear("a", 2, 1), Linear("b", 1, 2.3)], BandMin: 0.2, BandMax: 0.2, MaxPaybackMonths: null, MinClvCac: null,
            Objective: Objective.Clv);
        var plan = Allocator.Solve(p).Lines.Select(l => l.Recommended).ToList();
        Assert.Equal([80, 120], plan.Select(x => Math.Round(x, 6)));
        double[][] clv = [.. new[] { 3.5, 1, 2.5, 1.5, 3 }.Select(c => new[] { 1, c })];
        var values = InformationValue.PerLine(p, plan, Fixed(p, 5), maxLines: 2, clv: clv);
        Assert.Equal(0, values[0]!.Value, 6);
        Assert.Equal(12, values[1]!.Value, 6);
        Assert.Equal(0, InformationValue.PerLine(p, plan, Fixed(p, 5), maxLines: 2)[1]!.Value, 6);
        Assert.Equal(new HashSet<int> { 1 }, InformationValue.Widest(p, Fixed(p, 5), 1, clv));
    }
}
