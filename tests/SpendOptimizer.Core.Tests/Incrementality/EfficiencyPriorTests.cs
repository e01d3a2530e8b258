using SpendOptimizer.Core.Incrementality;

namespace SpendOptimizer.Core.Tests.Incrementality;

public class EfficiencyPriorTests
{
    private static ChannelFactor Tested(string channel, double median, double logSd) => TestedFactor.Of(channel, median, logSd);

    /// <summary>The flat prior (1, 1): ln factor ~ N(−ln 2 / 2, ln 2).</summary>
    private static ChannelFactor Untested(string channel) => LiftCalibration.Prior(channel, new CalibrationRule(), []);

    private static readonly Dictionary<string, double> Attributed = new() { ["a"] = 100, ["b"] = 200, ["c"] = 400, ["d"] = 100, ["u"] = 75 };
    private static readonly Dictionary<string, double> Spend = new() { ["a"] = 1000, ["b"] = 1000, ["c"] = 2000, ["d"] = 500, ["u"] = 300 };
    private static readonly Dictionary<string, double> Value = new() { ["a"] = 100, ["b"] = 50, ["c"] = 100, ["d"] = 25, ["u"] = 40 };

    [Fact]
    public void An_untested_channel_that_claims_twice_its_peers_value_per_spend_is_taken_to_over_report()
    {
        // Each tested channel truly makes 5 of value per unit of spend (f·A·V/S: 0.5·100·100/1000, 0.5·200·50/1000,
        // 0.25·400·100/2000, 1·100·25/500), so the spread is 0 and the tests' own LogSd² = 0.01 is used:
        // v = 0.01·(1 + 1/4)·3/1 = 0.0375. u claims 75·40/300 = 10 per unit of spend → m = ln 5 − ln 10 = −ln 2;
        // evidence mean 0.5·e^(v/2) = 0.509463443, sd 0.509463443·√(e^v − 1) = 0.099589349. With the flat prior's log
        // N(−ln 2/2, ln 2) by precision: precision = 1/ln 2 + 1/0.0375, m = (−1/2 − ln 2/0.0375)/precision = −0.675359512,
        // s = 0.188614253, mean e^(m + s²/2) = 0.518107855, sd 0.098598130.
        var factors = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.25, 0.1), Tested("d", 1, 0.1), Untested("u") };

        var result = EfficiencyPrior.Apply(factors, Attributed, Spend, Value);

        Assert.Equal(factors[..4], result.Take(4));
        var u = result[4];
        Assert.True(u.PriorOnly);
        Assert.NotNull(u.Efficiency);
        Assert.Equal(10, u.Efficiency.AttributedValuePerSpend, 9);
        Assert.Equal(0.509463443, u.Efficiency.Mean, 9);
        Assert.Equal(0.099589349, u.Efficiency.Sd, 9);
        Assert.Equal(4, u.Efficiency.Channels);
        Assert.Equal(-0.675359512, u.LogMean, 9);
        Assert.Equal(0.188614253, u.LogSd, 9);
        Assert.Equal(0.518107855, u.Mean, 9);
        Assert.Equal(0.098598130, u.Sd, 9);
    }

    [Fact]
    public void Journey_credit_afterwards_keeps_the_efficiency_evidence_and_narrows_the_factor()
    {
        var factors = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.25, 0.1), Tested("d", 1, 0.1), Untested("u") };
        var efficient = EfficiencyPrior.Apply(factors, Attributed, Spend, Value);
        var share = new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.2, ["c"] = 0.2, ["d"] = 0.2, ["u"] = 0.3 };

        var both = JourneyPrior.Apply(efficient, share, Attributed)[4];

        Assert.Equal(efficient[4].Efficiency, both.Efficiency);
        Assert.NotNull(both.Journey);
        Assert.True(both.LogSd < efficient[4].LogSd);
        // Journeys alone say 2 (see JourneyPriorTests), efficiency 0.5: equally precise, so the log mean lands between them.
        Assert.InRange(both.LogMean, -0.675359512, Math.Log(2));
    }

    [Fact]
    public void Too_few_tested_channels_or_no_unit_economics_leave_the_prior_and_say_why()
    {
        var three = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.25, 0.1), Untested("u") };
        var few = EfficiencyPrior.Apply(three, Attributed, Spend, Value)[3];
        Assert.Null(few.Efficiency);
        Assert.Equal((1.0, 1.0), (few.Mean, few.Sd));
        Assert.Contains(few.Skipped, s => s.Contains("fewer than 4 tested channels"));

        var four = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.25, 0.1), Tested("d", 1, 0.1), Untested("u") };
        var noValue = EfficiencyPrior.Apply(four, Attributed, Spend, new Dictionary<string, double>(Value) { ["u"] = 0 })[4];
        Assert.Null(noValue.Efficiency);
        Assert.Equal((1.0, 1.0), (noValue.Mean, noValue.Sd));
        Assert.Contains(noValue.Skipped, s => s.Contains("no spend, attributed conversions or unit economics"));
    }
}
