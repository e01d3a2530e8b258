using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class BgNbdFrequencyTests
{
    private static readonly BgNbdParameters Paper = new(0.243, 4.414, 0.793, 2.426);

    /// <summary>The pmf sums to 1 and its mean is E[X(t)] of eq. 9, computed independently by BgNbd.ExpectedTransactions.</summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(39.0)]
    [InlineData(78.0)]
    public void Sums_to_one_and_its_mean_is_the_expected_transactions(double t)
    {
        double total = 0, mean = 0;
        for (var x = 0; x < 2000; x++)
        {
            var p = BgNbdFrequency.Probability(x, t, Paper);
            Assert.InRange(p, 0, 1);
            total += p;
            mean += x * p;
        }
        Assert.Equal(1, total, 1e-9);
        Assert.Equal(BgNbd.ExpectedTransactions(t, Paper), mean, 1e-6);
    }

    /// <summary>
    /// By hand with r = 1, α = 1, a = 1, b = 1 and t = 1: α/(α+t) = t/(α+t) = ½, NB(j) = ½^(j+1), B(1, 1) = 1.
    /// P(0) = B(1, 1)·½ = ½. P(1) = B(1, 2)·¼ + B(2, 1)·(1 − ½) = ½·¼ + ½·½ = 3/8.
    /// </summary>
    [Fact]
    public void Matches_the_hand_worked_case()
    {
        var p = new BgNbdParameters(1, 1, 1, 1);
        Assert.Equal(0.5, BgNbdFrequency.Probability(0, 1, p), 1e-12);
        Assert.Equal(0.375, BgNbdFrequency.Probability(1, 1, p), 1e-12);
        Assert.Equal(0.125, BgNbdFrequency.AtLeast(2, 1, p), 1e-12);
    }

    /// <summary>200,000 simulated customers observed for 39 weeks: each frequency's share is within 4 binomial sds of the pmf.</summary>
    [Fact]
    public void Matches_simulated_frequencies()
    {
        const int n = 200_000;
        var rng = new SeededRandom(7);
        var counts = new int[8];
        for (var i = 0; i < n; i++)
            counts[Math.Min(7, (int)CustomerSimulation.BgNbdCustomer(rng, Paper, 39, 0).Calibration.Frequency)]++;
        for (var x = 0; x < 8; x++)
        {
            var p = x < 7 ? BgNbdFrequency.Probability(x, 39, Paper) : BgNbdFrequency.AtLeast(7, 39, Paper);
            Assert.InRange(counts[x] / (double)n, p - 4 * Math.Sqrt(p * (1 - p) / n), p + 4 * Math.Sqrt(p * (1 - p) / n));
        }
    }

    [Fact]
    public void Refuses_bad_input()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => BgNbdFrequency.Probability(-1, 1, Paper)).ParamName);
        Assert.Equal("t", Assert.Throws<ArgumentException>(() => BgNbdFrequency.Probability(0, 0, Paper)).ParamName);
    }
}
