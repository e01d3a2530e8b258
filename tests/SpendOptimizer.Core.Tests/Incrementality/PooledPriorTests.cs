using SpendOptimizer.Core.Incrementality;

namespace SpendOptimizer.Core.Tests.Incrementality;

public class PooledPriorTests
{
    private static readonly CalibrationRule Rule = new();

    private static ChannelFactor Tested(string channel, double median, double logSd) => TestedFactor.Of(channel, median, logSd);

    private static ChannelFactor Untested(string channel) =>
        LiftCalibration.Calibrate([channel], [], new DateOnly(2026, 1, 1), Rule).Single();

    [Fact]
    public void AnAccountWhoseTestedChannelsAreAllOverCreditedStartsItsUntestedOnesBelowOne()
    {
        // Four tested channels at 0.5 (log sd 0.1): μ = ln 0.5, spread 0, so the tests' own variance 0.01 is used:
        // v = 0.01·(1 + 1/4)·3/1 = 0.0375. With the flat prior's log N(−ln 2/2, ln 2): precision = 1/ln 2 + 1/0.0375 = 28.109361708,
        // m = (−1/2 + ln 0.5/0.0375)/precision = −0.675359512, s = 0.188614253, mean e^(m + s²/2) = 0.518107855.
        var factors = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.5, 0.1), Tested("d", 0.5, 0.1), Untested("u") };
        var result = PooledPrior.Apply(factors, Rule);
        Assert.Equal(factors[..4], result.Take(4));
        Assert.Equal(-0.675359512, result[4].LogMean, 9);
        Assert.Equal(0.188614253, result[4].LogSd, 9);
        Assert.Equal(0.518107855, result[4].Mean, 9);
        Assert.True(result[4].PriorOnly);
        Assert.Contains(result[4].Skipped, s => s.StartsWith("pooled:"));
    }

    [Fact]
    public void WidelyScatteredTestsBarelyMoveTheFlatPrior()
    {
        // Tested at 0.25, 0.5, 1, 2: μ = −ln 2/2 (the flat prior's own log mean), s² = 0.800755, v = s²·1.25·3 = 3.002831337;
        // precision = 1/ln 2 + 1/v = 1.775714078, so the log mean stays −ln 2/2 and the log sd narrows only from 0.8326 to 0.750435691.
        var factors = new[] { Tested("a", 0.25, 0.1), Tested("b", 0.5, 0.1), Tested("c", 1, 0.1), Tested("d", 2, 0.1), Untested("u") };
        var u = PooledPrior.Apply(factors, Rule)[4];
        Assert.Equal(-Math.Log(2) / 2, u.LogMean, 9);
        Assert.Equal(0.750435691, u.LogSd, 9);
        Assert.Equal(0.937070530, u.Mean, 9);
    }

    [Fact]
    public void FewerThanFourTestedChannelsKeepTheFlatPriorAndSaySo()
    {
        var factors = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.5, 0.1), Untested("u") };
        var u = PooledPrior.Apply(factors, Rule)[3];
        Assert.Equal(1, u.Mean, 12);
        Assert.Equal(1, u.Sd, 12);
        Assert.Contains(u.Skipped, s => s.Contains("3 tested channel(s), 4 needed"));
    }
}
