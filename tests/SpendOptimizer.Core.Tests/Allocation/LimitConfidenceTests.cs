using SpendOptimizer.Core.Allocation;
using static SpendOptimizer.Core.Tests.Allocation.AllocationBruteForceTests;

namespace SpendOptimizer.Core.Tests.Allocation;

public sealed class LimitConfidenceTests
{
    // Eleven draws scaling one curve by 0.5, 0.6, …, 1.5.
    private static readonly Func<double, double> Central = Hill(400, 10_000, 1);
    private static readonly IReadOnlyList<Func<double, double>> Draws =
        Enumerable.Range(0, 11).Select(k => (Func<double, double>)(s => (0.5 + 0.1 * k) * Central(s))).ToList();

    [Fact]
    public void AtOneHalfTheLimitsAreJudgedOnTheCentralCurve() => Assert.Null(LimitConfidence.Curve(Draws, 0.5));

    [Fact]
    public void TheLimitCurveIsTheDrawsLowerQuantile()
    {
        // confidence 0.8: the 0.2-quantile of eleven draws is the third smallest (index round(0.2·10) = 2), factor 0.7.
        var curve = LimitConfidence.Curve(Draws, 0.8)!;
        Assert.Equal(0.7 * Central(9_000), curve(9_000), 9);
    }

    [Fact]
    public void ProbabilitiesCountTheDrawsThatMeetEachLimit()
    {
        // CLV 100, one customer per conversion: CLV:CAC = 100·f·g(s)/s = f·40,000/(s + 10,000); at s = 10,000 it is 2f, so it is at
        // least 1.5 for f ≥ 0.75: the draws 0.8 … 1.5, 8 of 11. Payback = (s + 10,000)/(400·f)/50 = 1/f months ≤ 1.2 for f ≥ 0.8333: 7 of 11.
        var line = new AllocationLine("a", 10_000, Central, 1, 100, 100, 50);
        var problem = new AllocationProblem([line], MinClvCac: 1.5, MaxPaybackMonths: 1.2);
        var (payback, clvCac) = LimitConfidence.Probabilities(line, problem, 10_000, Draws);
        Assert.Equal(7 / 11.0, payback!.Value, 12);
        Assert.Equal(8 / 11.0, clvCac!.Value, 12);
        Assert.Equal((null, null), LimitConfidence.Probabilities(line, problem with { LimitScope = LimitScope.Blended }, 10_000, Draws));
    }

    [Fact]
    public void AHigherConfidenceCutsTheLevelsThatOnlyTheCentralCurveAllows()
    {
        // Central: CLV:CAC = 40,000/(s + 10,000) ≥ 2 for s ≤ 10,000, so today's 10,000 and every cut are allowed and rises are not.
        // At confidence 0.8 the limit is judged on 0.7·g: 28,000/(s + 10,000) ≥ 2 only for s ≤ 4,000, below the band: no level is left.
        var line = new AllocationLine("a", 10_000, Central, 1, 100, 100, 50);
        var problem = new AllocationProblem([line], MinClvCac: 2, MaxPaybackMonths: null, UnreachableLimits: UnreachableLimits.Refuse);
        var central = Presolve.Line(line, problem);
        Assert.Equal(10_000, central.MaxSpend, 3);
        var cautious = Presolve.Line(line with { LimitResponse = LimitConfidence.Curve(Draws, 0.8) }, problem);
        Assert.Empty(cautious.Runs);
    }
}
