using SpendOptimizer.Core.Incrementality;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.Incrementality;

public class JourneyPriorTests
{
    private static readonly CalibrationRule Rule = new();

    private static ChannelFactor Tested(string channel, double median, double logSd) => TestedFactor.Of(channel, median, logSd);

    /// <summary>The flat prior (1, 1): ln factor ~ N(−ln 2 / 2, ln 2).</summary>
    private static ChannelFactor Untested(string channel) =>
        new(channel, 1, 1, Math.Exp(-Math.Log(2) / 2 - 1.645 * Math.Sqrt(Math.Log(2))), Math.Exp(-Math.Log(2) / 2 + 1.645 * Math.Sqrt(Math.Log(2))),
            -Math.Log(2) / 2, Math.Sqrt(Math.Log(2)), [], []);

    [Fact]
    public void An_untested_channel_gets_what_the_tested_channels_say_its_journey_credit_is_worth()
    {
        // Every tested channel makes 500 incremental conversions a week per unit of journey share (e^LogMean·A/q: 0.5·100/0.1,
        // 0.5·200/0.2, 0.25·400/0.2, 1·100/0.2), so the spread is 0 and the tests' own log variance LogSd² = 0.1² is used:
        // v = 0.01·(1 + 1/4)·3/1 = 0.0375. podcasts: share 0.3, 75 attributed a week → m = ln(500·0.3/75) = ln 2;
        // journey mean 2·e^(v/2) = 2.0378538, sd 2.0378538·√(e^v − 1) = 0.3983574. With the flat prior's log N(−ln 2/2, ln 2)
        // by log-scale precision: precision = 1/ln 2 + 1/0.0375 = 28.109361708, m = (−1/2 + ln 2/0.0375)/precision = 0.639784176,
        // s = 0.188614253; Mean e^(m + s²/2) = 1.930100056, Sd 0.367306256, 90% 1.390330290 … 2.585779511.
        // (The old natural-scale rule gave 1.8957141 ± 0.3700748.)
        var factors = new[]
        {
            Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.25, 0.1), Tested("d", 1, 0.1), Untested("podcasts"),
        };
        var share = new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.2, ["c"] = 0.2, ["d"] = 0.2, ["podcasts"] = 0.3 };
        var attributed = new Dictionary<string, double> { ["a"] = 100, ["b"] = 200, ["c"] = 400, ["d"] = 100, ["podcasts"] = 75 };

        var result = JourneyPrior.Apply(factors, share, attributed);

        Assert.Equal(factors[..4], result.Take(4));
        var p = result[4];
        Assert.True(p.PriorOnly);
        Assert.NotNull(p.Journey);
        Assert.Equal(2.0378538, p.Journey.Mean, 6);
        Assert.Equal(0.3983574, p.Journey.Sd, 6);
        Assert.Equal(4, p.Journey.Channels);
        Assert.Equal(0.3, p.Journey.Share);
        Assert.Equal(0.639784176, p.LogMean, 9);
        Assert.Equal(0.188614253, p.LogSd, 9);
        Assert.Equal(1.930100056, p.Mean, 9);
        Assert.Equal(0.367306256, p.Sd, 9);
        Assert.Equal(1.390330290, p.Lower90, 6);
        Assert.Equal(2.585779511, p.Upper90, 6);
    }

    [Fact]
    public void Tested_channels_whose_journey_credit_scatters_move_the_flat_prior_less()
    {
        var factors = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.5, 0.1), Tested("d", 0.5, 0.1), Untested("u") };
        var attributed = new Dictionary<string, double> { ["a"] = 100, ["b"] = 100, ["c"] = 100, ["d"] = 100, ["u"] = 50 };
        var tight = new Dictionary<string, double> { ["a"] = 0.2, ["b"] = 0.2, ["c"] = 0.2, ["d"] = 0.2, ["u"] = 0.2 };
        var scattered = new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.4, ["c"] = 0.14, ["d"] = 0.28, ["u"] = 0.2 };

        var near = JourneyPrior.Apply(factors, tight, attributed)[4];
        var far = JourneyPrior.Apply(factors, scattered, attributed)[4];

        // Journeys say u is worth twice a tested channel per attributed conversion: factor about 1.
        Assert.InRange(near.Journey!.Mean, 0.95, 1.1);
        Assert.True(far.Journey!.Sd > 3 * near.Journey.Sd, $"scattered sd {far.Journey.Sd}, tight {near.Journey.Sd}");
        Assert.True(near.Sd < far.Sd);
        Assert.True(far.Sd < 1);
    }

    [Fact]
    public void Too_few_tested_channels_or_no_journey_credit_leave_the_flat_prior_and_say_why()
    {
        var factors = new[] { Tested("a", 0.5, 0.1), Tested("b", 0.5, 0.1), Tested("c", 0.5, 0.1), Untested("u") };
        var share = new Dictionary<string, double> { ["a"] = 0.2, ["b"] = 0.2, ["c"] = 0.2, ["u"] = 0.4 };
        var attributed = new Dictionary<string, double> { ["a"] = 100, ["b"] = 100, ["c"] = 100, ["u"] = 100 };
        var three = JourneyPrior.Apply(factors, share, attributed)[3];
        Assert.Null(three.Journey);
        Assert.Equal((1.0, 1.0), (three.Mean, three.Sd));
        Assert.Contains(three.Skipped, s => s.Contains("3 tested channel(s) with journey credit, 4 needed"));

        var four = factors.Prepend(Tested("d", 0.5, 0.1)).ToArray();
        var noCredit = JourneyPrior.Apply(four, new Dictionary<string, double>(share) { ["d"] = 0.2, ["u"] = 0 }, new Dictionary<string, double>(attributed) { ["d"] = 100 })[4];
        Assert.Null(noCredit.Journey);
        Assert.Equal((1.0, 1.0), (noCredit.Mean, noCredit.Sd));
        Assert.Contains(noCredit.Skipped, s => s.Contains("no journey credit"));
    }

    /// <summary>
    /// Calibration of the prediction: workspaces whose channels' incremental conversions per journey share scatter
    /// log-normally (sd drawn from 0.1–0.6 per workspace), five lift-tested with 10% noise and one not. The journeys'
    /// 90% interval for the untested factor (in logs) must hold its true factor about 90% of the time (93% here: the
    /// Student-t prediction matched by a normal errs wide; without the (n − 1)/(n − 3) term it falls to 84%).
    /// </summary>
    [Fact]
    public void The_journey_interval_holds_the_untested_factor_about_ninety_percent_of_the_time()
    {
        var rng = new SeededRandom(11);
        const int workspaces = 4000;
        var covered = 0;
        for (var w = 0; w < workspaces; w++)
        {
            var scatter = rng.Uniform(0.1, 0.6);
            var factors = new List<ChannelFactor>();
            var share = new Dictionary<string, double>();
            var attributed = new Dictionary<string, double>();
            double truth = 0;
            for (var c = 0; c < 6; c++)
            {
                var name = $"c{c}";
                share[name] = rng.Uniform(0.05, 0.3);
                attributed[name] = rng.Uniform(50, 500);
                var incremental = 1000 * share[name] * Math.Exp(scatter * rng.Normal());
                var factor = incremental / attributed[name];
                if (c == 5) { truth = factor; factors.Add(Untested(name)); }
                else factors.Add(Tested(name, factor * Math.Exp(0.1 * rng.Normal()), 0.1));
            }
            var j = JourneyPrior.Apply(factors, share, attributed)[5].Journey!;
            var v = Math.Log(1 + j.Sd / j.Mean * (j.Sd / j.Mean));
            var m = Math.Log(j.Mean) - v / 2;
            if (Math.Abs(Math.Log(truth) - m) <= 1.645 * Math.Sqrt(v)) covered++;
        }
        Assert.InRange(covered / (double)workspaces, 0.87, 0.96);
    }
}
