using SpendOptimizer.Core.Outcomes;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Tests.Outcomes;

public sealed class OutcomeTests
{
    [Fact]
    public void ExpectedResponseCarriesAdstockThroughTheWeeksBefore()
    {
        // θ = 0.5: A0 = 100 / 0.5 = 200 (steady state), A1 = 100 + 100 = 200, A2 = 150 + 100 = 250;
        // y2 = 200 · 250 / (250 + 100) = 1000 / 7.
        var curve = new HillAdstock(Theta: 0.5, Alpha: 1, Kappa: 100, Beta: 200);
        var expected = ChannelOutcome.Expected(curve, [100, 100, 150]);
        Assert.Equal(1000.0 / 7, expected, 12);
        // The steady state at 150 would be 200 · 300 / 400 = 150: the week after a move has not caught up yet.
        Assert.Equal(150, curve.SteadyState(150), 12);
    }

    [Fact]
    public void OutcomeIsMadeIncrementalByTheCurvesFactorBeforeComparing()
    {
        var o = new ChannelOutcome("search", RecommendedSpend: 140, ActualSpend: 150, PredictedConversions: 160,
            ExpectedConversions: 1000.0 / 7, ReportedConversions: 300, Factor: 0.5);
        Assert.Equal(150, o.ActualConversions, 12);
        Assert.Equal(50.0 / 7, o.Error, 12);
        Assert.Equal(1.0 / 21, o.PercentError!.Value, 12);
        Assert.Equal(1.0 / 14, o.SpendFollowed!.Value, 12);
        Assert.Null((o with { RecommendedSpend = 0 }).SpendFollowed);
        Assert.Null((o with { ReportedConversions = 0 }).PercentError);
    }

    [Fact]
    public void AccuracySkipsZeroActualsAndWeighsWapeByVolume()
    {
        var s = ForecastAccuracy.Of([(90, 100), (110, 100), (5, 0), (30, 20)]);
        Assert.Equal(3, s.Count);
        Assert.Equal((0.1 + 0.1 + 0.5) / 3, s.Mape!.Value, 12);
        Assert.Equal(30.0 / 220, s.Wape!.Value, 12);
        Assert.Equal(-10.0 / 220, s.Bias!.Value, 12);
        Assert.Equal(new AccuracySummary(0, null, null, null), ForecastAccuracy.Of([(1, 0)]));
    }

    [Fact]
    public void PerfectPredictionsHaveNoErrorAndScalingBothSidesChangesNothing()
    {
        var rng = new Random(7);
        var pairs = Enumerable.Range(0, 50).Select(_ => (P: rng.NextDouble() * 100 + 1, A: rng.NextDouble() * 100 + 1)).ToList();
        var exact = ForecastAccuracy.Of(pairs.Select(p => (p.A, p.A)));
        Assert.Equal(0, exact.Mape!.Value, 12);
        Assert.Equal(0, exact.Bias!.Value, 12);
        var a = ForecastAccuracy.Of(pairs.Select(p => (p.P, p.A)));
        var b = ForecastAccuracy.Of(pairs.Select(p => (p.P * 3, p.A * 3)));
        Assert.Equal(a.Mape!.Value, b.Mape!.Value, 12);
        Assert.Equal(a.Wape!.Value, b.Wape!.Value, 12);
        Assert.True(a.Wape > 0 && a.Mape > 0);
    }
}
