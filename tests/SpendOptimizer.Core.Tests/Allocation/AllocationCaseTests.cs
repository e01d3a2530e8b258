using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Core.Tests.Allocation.AllocationBruteForceTests;

namespace SpendOptimizer.Core.Tests.Allocation;

public sealed class AllocationCaseTests
{
    private static AllocationLine Line(string name, double spend, double beta, double kappa, double alpha = 1, bool locked = false, double clv = 1000,
        double? min = null, double? max = null) =>
        new(name, spend, Hill(beta, kappa, alpha), 1, 100, clv, 50, locked, min, max);

    [Fact]
    public void MoneyMovesFromTheSaturatedChannelToTheHungryOneUpToTheBandEdge()
    {
        // "hungry" is far from saturation (κ ≫ spend), "full" is saturated (κ ≪ spend): 20% moves, budget kept.
        var p = new AllocationProblem([Line("hungry", 10_000, 1_000, 100_000), Line("full", 10_000, 200, 500)], MaxPaybackMonths: null, MinClvCac: null);
        var r = Allocator.Solve(p);
        Assert.Equal(AllocationStatus.Optimal, r.Status);
        var hungry = r.Lines.Single(l => l.Name == "hungry");
        var full = r.Lines.Single(l => l.Name == "full");
        Assert.Equal(12_000, hungry.Recommended, 6);
        Assert.Equal(8_000, full.Recommended, 6);
        Assert.Equal(StopReason.BandEdge, hungry.Reason);
        Assert.Equal(StopReason.BandEdge, full.Reason);
        Assert.True(r.Gain > 0);
        Assert.Equal(0.2, hungry.ChangeShare, 9);
    }

    [Fact]
    public void ADoubtfulRiseIsNotWorthACertainFall()
    {
        // Central: +10% on "hungry" gains ≈ 8.2 conversions, −10% on "full" loses ≈ 1.0, so money moves. Counting on a
        // tenth of hungry's rise (+0.82 per 10%) against all of full's fall, no move pays, and both lines stay.
        var lines = new[] { Line("hungry", 10_000, 1_000, 100_000) with { RiseWeight = 0.1 }, Line("full", 10_000, 200, 500) };
        var r = Allocator.Solve(new AllocationProblem(lines, MaxPaybackMonths: null, MinClvCac: null));
        Assert.Equal(AllocationStatus.Optimal, r.Status);
        Assert.All(r.Lines, l => Assert.Equal(l.Current, l.Recommended, 6));
        Assert.All(r.Lines, l => Assert.Equal(StopReason.NoGainWorthAMove, l.Reason));
        Assert.Equal(0, r.Gain, 9);
    }

    [Fact]
    public void CautionChoosesThePlanButFiguresAreTheCentralCurves()
    {
        // Fearing full's fall three times over still leaves the full 20% move worth it (+16.2 against −6.9); the gain and
        // the lines' conversions are then reported as the central curves predict them.
        var lines = new[] { Line("hungry", 10_000, 1_000, 100_000), Line("full", 10_000, 200, 500) with { FallWeight = 3 } };
        var r = Allocator.Solve(new AllocationProblem(lines, MaxPaybackMonths: null, MinClvCac: null));
        var hungry = r.Lines.Single(l => l.Name == "hungry");
        var full = r.Lines.Single(l => l.Name == "full");
        Assert.Equal(12_000, hungry.Recommended, 6);
        Assert.Equal(8_000, full.Recommended, 6);
        double G(double beta, double kappa, double s) => beta * s / (s + kappa);
        var centralGain = 1_000 * (G(1_000, 100_000, 12_000) - G(1_000, 100_000, 10_000) + G(200, 500, 8_000) - G(200, 500, 10_000));
        Assert.Equal(centralGain, r.Gain, 6);
        Assert.Equal(G(200, 500, 8_000), full.Conversions, 9);
        Assert.True(r.ApproximationError <= 1e-3 * Math.Abs(r.RecommendedObjective));
    }

    [Fact]
    public void ALargeCautiousProblemThatOnceStalledSoPlexIsSolvedToOptimality()
    {
        // 1,000 lines: with SCIP's presolve off and SoPlex's default scaling, this root LP reported unresolved numerical
        // troubles and ran into any time limit. The whole model, as it was before options were fixed by price; the limit
        // is generous on purpose: the status is what is checked.
        var p = SyntheticAllocation.WithCaution(SyntheticAllocation.Problem(1000, 5), 5);
        using var model = AllocationModel.Build(p, p.Lines.Select(l => Presolve.Line(l, p)).ToList());
        Assert.Equal(Google.OrTools.LinearSolver.Solver.ResultStatus.OPTIMAL, model.Solve(120));
        var spend = Enumerable.Range(0, p.Lines.Count).Select(i => model.Read(i).Spend).ToList();
        Assert.Equal(p.TotalCurrent, spend.Sum(), 1e-6 * p.TotalCurrent);
        var r = Allocator.Solve(p);
        Assert.Equal(AllocationStatus.Optimal, r.Status);
        var planning = Allocator.PlanningValue(p, spend);
        Assert.Equal(planning, Allocator.PlanningValue(p, r.Lines.Select(l => l.Recommended).ToList()), 1e-6 * planning);
    }

    [Fact]
    public void OneChannelUnderAnEqualBudgetCannotMoveAndSaysSo()
    {
        var r = Allocator.Solve(new AllocationProblem([Line("only", 5_000, 300, 4_000)], MaxPaybackMonths: null, MinClvCac: null));
        Assert.Equal(AllocationStatus.Optimal, r.Status);
        Assert.Equal(5_000, r.Lines[0].Recommended, 9);
        Assert.Equal(StopReason.NoGainWorthAMove, r.Lines[0].Reason);
        Assert.Equal(0, r.Gain, 9);
    }

    [Fact]
    public void AllLockedKeepsEverythingAndNamesTheLock()
    {
        var r = Allocator.Solve(new AllocationProblem([Line("a", 5_000, 300, 4_000, locked: true), Line("b", 7_000, 100, 90_000, locked: true)]));
        Assert.Equal(AllocationStatus.Optimal, r.Status);
        Assert.All(r.Lines, l => Assert.Equal(StopReason.Lock, l.Reason));
        Assert.All(r.Lines, l => Assert.Equal(l.Current, l.Recommended, 9));
    }

    [Fact]
    public void ZeroBudgetChangePossibleWhenBoundsPinEveryLine()
    {
        var r = Allocator.Solve(new AllocationProblem(
            [Line("a", 5_000, 300, 4_000, min: 5_000, max: 5_000), Line("b", 7_000, 400, 90_000, min: 7_000, max: 7_000)], MinClvCac: null, MaxPaybackMonths: null));
        Assert.Equal(AllocationStatus.Optimal, r.Status);
        Assert.All(r.Lines, l => Assert.Equal(StopReason.HardBound, l.Reason));
    }

    [Fact]
    public void ChannelBreakingClvCacEverywhereIsRefusedOnRequestWithTheRelaxationThatWouldWork()
    {
        // CLV 100, one customer per conversion, ~20 conversions at 10,000: CLV:CAC ≈ 0.2 at best.
        var bad = Line("bad", 10_000, 40, 10_000, clv: 100);
        var r = Allocator.Solve(new AllocationProblem([bad, Line("good", 10_000, 500, 20_000)], MinClvCac: 3, MaxPaybackMonths: null,
            UnreachableLimits: UnreachableLimits.Refuse));
        Assert.Equal(AllocationStatus.Infeasible, r.Status);
        var clash = Assert.Single(r.Clashes);
        Assert.Equal("bad", clash.Subject);
        Assert.Equal("clv_cac", clash.Limit);
        // the best ratio over the allowed levels is at the lowest spend (−20%): 100 · g(8000) / 8000
        var expected = 100 * bad.Response(8_000) / 8_000;
        Assert.Equal(expected, clash.Achievable, 6);
        var relaxed = Allocator.Solve(new AllocationProblem([bad, Line("good", 10_000, 500, 20_000)], MinClvCac: expected * 0.999, MaxPaybackMonths: null));
        Assert.True(relaxed.HasPlan);
    }

    [Fact]
    public void BudgetOutsideWhatTheBandsAllowIsInfeasibleWithTheFeasibleRange()
    {
        var r = Allocator.Solve(new AllocationProblem([Line("a", 10_000, 300, 9_000), Line("b", 10_000, 300, 9_000)], Budget: 30_000,
            MinClvCac: null, MaxPaybackMonths: null));
        var clash = Assert.Single(r.Clashes);
        Assert.Equal("budget", clash.Limit);
        Assert.Equal(24_000, clash.Achievable, 6);
    }

    [Fact]
    public void BlendedClvCacThatNoPlanReachesReportsTheBestReachableRatio()
    {
        var lines = new[] { Line("a", 10_000, 100, 9_000, clv: 500), Line("b", 10_000, 120, 12_000, clv: 500) };
        var r = Allocator.Solve(new AllocationProblem(lines, MinClvCac: 50, MaxPaybackMonths: null, LimitScope: LimitScope.Blended));
        Assert.Equal(AllocationStatus.Infeasible, r.Status);
        var clash = r.Clashes.Single(c => c.Limit == "clv_cac");
        Assert.InRange(clash.Achievable, 0.5, 50);
        var atBest = Allocator.Solve(new AllocationProblem(lines, MinClvCac: clash.Achievable * 0.999, MaxPaybackMonths: null, LimitScope: LimitScope.Blended));
        Assert.True(atBest.HasPlan);
    }

    [Fact]
    public void ModelNamesItsVariablesAndConstraintsAfterTheLines()
    {
        var p = new AllocationProblem([Line("paid_social", 10_000, 300, 9_000), Line("display", 8_000, 300, 9_000)], MinClvCac: null, MaxPaybackMonths: null);
        var options = p.Lines.Select(l => Presolve.Line(l, p)).ToList();
        using var model = AllocationModel.Build(p, options);
        Assert.Contains(model.Choose[0], v => v.Name().StartsWith("choose[paid_social#"));
        Assert.NotNull(model.Solver.LookupConstraintOrNull("one_option[display]"));
        Assert.NotNull(model.Budget);
        Assert.Equal(3, options[0].Runs.Count(r => r.IsKeep) + options[0].Runs.Select(r => r.Start < 10_000 ? "down" : "up").Where((_, i) => !options[0].Runs[i].IsKeep).Distinct().Count());
    }

    [Fact]
    public void BandOutsideZeroToHalfIsRefused()
    {
        var r = Allocator.Solve(new AllocationProblem([Line("a", 1, 1, 1)], BandMin: 0.3, BandMax: 0.6));
        Assert.Equal(AllocationStatus.Invalid, r.Status);
        Assert.Contains("band", r.Clashes[0].Explanation);
    }

    [Fact]
    public void MarginalCacIsOneOverTheSlopeOfCustomersInSpend()
    {
        // g = β·s / (s + κ) with half a new customer per conversion: customers rise at 0.5·β·κ / (s + κ)², so at s = κ = 10,000 one more
        // customer costs (2κ)² / (0.5·β·κ) = 4κ / (0.5·β) = 400 at β = 200, twice the average CAC s / (0.5·g(s)) = 200.
        var line = new AllocationLine("a", 10_000, s => 200 * s / (s + 10_000), 0.5, 100, 1000, 50, Locked: true);
        var plan = Allocator.Solve(new AllocationProblem([line], MaxPaybackMonths: null, MinClvCac: null)).Lines[0];
        Assert.Equal(400, plan.MarginalCac, 1e-4);
        Assert.Equal(200, plan.Cac, 1e-9);
        var flat = new AllocationLine("flat", 10_000, _ => 5, 0.5, 100, 1000, 50, Locked: true);
        Assert.Equal(double.PositiveInfinity, Allocator.Solve(new AllocationProblem([flat], MaxPaybackMonths: null, MinClvCac: null)).Lines[0].MarginalCac);
    }
}
