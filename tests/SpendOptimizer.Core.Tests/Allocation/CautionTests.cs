using SpendOptimizer.Core.Allocation;
using static SpendOptimizer.Core.Tests.Allocation.AllocationBruteForceTests;

namespace SpendOptimizer.Core.Tests.Allocation;

public sealed class CautionTests
{
    private static readonly Func<double, double> Central = Hill(1_000, 20_000, 1.3);

    /// <summary>101 draws that scale the central curve by 0.50, 0.51, …, 1.50: every change scales the same way.</summary>
    private static List<Func<double, double>> ScaledDraws() =>
        Enumerable.Range(0, 101).Select(k => 0.5 + k / 100.0).Select(c => (Func<double, double>)(s => c * Central(s))).ToList();

    [Theory]
    [InlineData(0.3, 0.80, 1.20)]
    [InlineData(0.1, 0.60, 1.40)]
    [InlineData(0.05, 0.55, 1.45)]
    public void WeightsAreTheQuantilesOfTheDrawnChangeOverTheCentralOne(double q, double rise, double fall)
    {
        // Ratios Δ_k/Δ are the scales themselves; the q-quantile of 0.50…1.50 (index 100q) is 0.5 + q.
        var (r, f) = Caution.Weights(Central, ScaledDraws(), 10_000, 0.2, q);
        Assert.Equal(rise, r, 12);
        Assert.Equal(fall, f, 12);
    }

    [Fact]
    public void TheMedianTrustsTheCentralCurveAsItIs()
    {
        Assert.Equal((1.0, 1.0), Caution.Weights(Central, ScaledDraws(), 10_000, 0.2, 0.5));
    }

    [Fact]
    public void DrawsThatDisagreeOnlyAboutLevelAwayFromTodayAreWeighedByTheChange()
    {
        // Each draw adds a constant: levels differ, changes do not, so nothing is discounted.
        var shifted = Enumerable.Range(0, 50).Select(k => (Func<double, double>)(s => Central(s) + k)).ToList();
        var (r, f) = Caution.Weights(Central, shifted, 10_000, 0.2, 0.1);
        Assert.Equal(1, r, 12);
        Assert.Equal(1, f, 12);
    }

    [Fact]
    public void NoDrawsNoSpendOrAFlatCurveLeaveWeightsAtOne()
    {
        Assert.Equal((1.0, 1.0), Caution.Weights(Central, [], 10_000, 0.2, 0.2));
        Assert.Equal((1.0, 1.0), Caution.Weights(Central, ScaledDraws(), 0, 0.2, 0.2));
        Assert.Equal((1.0, 1.0), Caution.Weights(_ => 5, ScaledDraws(), 10_000, 0.2, 0.2));
    }

    [Fact]
    public void DrawsThatPredictTheOppositeChangeFloorTheWeightAtZero()
    {
        var opposite = Enumerable.Range(0, 20).Select(_ => (Func<double, double>)(s => -Central(s))).ToList();
        var (r, f) = Caution.Weights(Central, opposite, 10_000, 0.2, 0.3);
        Assert.Equal(0, r);
        Assert.Equal(0, f);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.51)]
    [InlineData(double.NaN)]
    public void AQuantileOutsideTheLowerHalfIsRefused(double q)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Caution.Weights(Central, ScaledDraws(), 10_000, 0.2, q));
    }
}
