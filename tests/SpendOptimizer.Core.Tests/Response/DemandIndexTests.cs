using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Tests.Response;

public sealed class DemandIndexTests
{
    private static readonly double[] Demand = [1.2, 0.9, 1.0, 1.1, 0.8, 1.05];

    private static double GeometricMean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));

    [Fact]
    public void ResponsesThatAllDepartByTheSameFactorGiveThatFactorNormalisedToAnAverageWeek()
    {
        // No noise: every e_ct is ln d_t minus the channel's mean, so the index is d_t over its geometric mean, unshrunk.
        double[][] fitted = [[10, 12, 11, 9, 10, 13], [100, 90, 95, 105, 99, 101], [5, 5, 6, 5, 4, 5]];
        var response = fitted.Select(f => f.Select((y, t) => y * Demand[t]).ToArray()).ToList();

        var index = DemandIndex.Estimate(response, fitted);

        var g = GeometricMean(Demand);
        for (var t = 0; t < Demand.Length; t++) Assert.Equal(Demand[t] / g, index[t], 6);
    }

    [Fact]
    public void AChannelsOwnLevelNeverReadsAsDemand()
    {
        double[][] fitted = [[10, 12, 11, 9, 10, 13], [100, 90, 95, 105, 99, 101], [5, 5, 6, 5, 4, 5]];
        var levels = new[] { 1.0, 2.5, 0.4 };
        var plain = DemandIndex.Estimate(fitted.Select(f => f.Select((y, t) => y * Demand[t]).ToArray()).ToList(), fitted);
        var scaled = DemandIndex.Estimate(fitted.Select((f, c) => f.Select((y, t) => levels[c] * y * Demand[t]).ToArray()).ToList(), fitted);
        for (var t = 0; t < Demand.Length; t++) Assert.Equal(plain[t], scaled[t], 9);
    }

    [Fact]
    public void FewerThanThreeChannelsGiveAnAverageWeekThroughout()
    {
        double[][] fitted = [[10, 12, 11], [100, 90, 95]];
        var response = fitted.Select(f => f.Select((y, t) => y * Demand[t]).ToArray()).ToList();
        Assert.All(DemandIndex.Estimate(response, fitted), d => Assert.Equal(1, d));
    }

    [Fact]
    public void ChannelsThatShareNothingGiveAnIndexShrunkWellBelowTheirNoise()
    {
        var rng = new SeededRandom(11);
        const int weeks = 104, channels = 6;
        var fitted = Enumerable.Range(0, channels).Select(_ => Enumerable.Repeat(50.0, weeks).ToArray()).ToList();
        var response = fitted.Select(f => f.Select(y => y * rng.LogNormalFactor(0.10)).ToArray()).ToList();

        var index = DemandIndex.Estimate(response, fitted);

        // The raw mean of six channels' noise has sd ≈ 0.10 / √6 ≈ 0.04; with nothing shared the shrinkage takes most of it away.
        var raw = Enumerable.Range(0, weeks).Select(t => response.Average(r => Math.Log(r[t] / 50))).ToArray();
        var rawSpread = Math.Sqrt(raw.Average(x => Math.Pow(x - raw.Average(), 2)));
        var spread = Math.Sqrt(index.Average(d => Math.Log(d) * Math.Log(d)));
        Assert.True(spread < 0.5 * rawSpread, $"index spread {spread:F4} against the raw mean's {rawSpread:F4}");
    }

    [Fact]
    public void WeeksWithoutAResponseInThreeChannelsAreAverageWeeks()
    {
        double[][] fitted = [[10, 12, 11, 9, 10, 12, 11, 9], [100, 90, 95, 105, 100, 90, 95, 105], [5, 5, 6, 5, 5, 5, 6, 5]];
        var d = new[] { 1.3, 0.8, 1.0, 1.1, 0.9, 1.0, 1.2, 0.95 };
        var response = fitted.Select(f => f.Select((y, t) => y * d[t]).ToArray()).ToList();
        response[2][1] = 0; // a paused week: only two channels speak for week 1

        var index = DemandIndex.Estimate(response, fitted);

        Assert.Equal(1, index[1]);
        Assert.True(index[0] > index[6] && index[6] > index[3] && index[3] > index[2] && index[2] > index[4], string.Join(", ", index));
    }

    [Fact]
    public void FittingTogetherRecoversASharedSeasonAndTheMarginalReturnBetterThanEachChannelAlone()
    {
        // Five channels whose spend wanders on its own, all riding one annual season of ±20%.
        var rng = new SeededRandom(5);
        const int weeks = 104;
        var season = Enumerable.Range(0, weeks).Select(t => 1 + 0.2 * Math.Sin(2 * Math.PI * t / 52 + 1)).ToArray();
        var truths = new List<HillAdstock>();
        var channels = new List<(double[] Spend, double[] Response)>();
        for (var c = 0; c < 5; c++)
        {
            var typical = 5_000 * (c + 1);
            var truth = new HillAdstock(0.1 * c, 1 + 0.3 * c, typical / (1 - 0.1 * c) * (0.7 + 0.3 * c), 100 + 40 * c);
            var x = 0.0;
            var spend = Enumerable.Range(0, weeks).Select(_ => { x = 0.9 * x + rng.Normal(0, 0.12); return typical * Math.Exp(x); }).ToArray();
            var response = truth.Predict(spend).Select((y, t) => y * season[t] * rng.LogNormalFactor(0.06)).ToArray();
            truths.Add(truth);
            channels.Add((spend, response));
        }

        var (together, demand) = DemandIndex.FitTogether(channels);
        var alone = channels.Select(c => ResponseCurveFit.Fit(c.Spend, c.Response)).ToList();

        var truthIndex = season.Select(s => s / GeometricMean(season)).ToArray();
        Assert.True(Correlation(demand.Select(d => Math.Log(d)).ToArray(), truthIndex.Select(d => Math.Log(d)).ToArray()) > 0.9);
        double MarginalError(IReadOnlyList<CurveFit> fits) => fits.Select((f, c) =>
        {
            var typical = 5_000 * (c + 1);
            return Math.Abs(Math.Log(f.Curve.Marginal(typical) / truths[c].Marginal(typical)));
        }).Average();
        Assert.True(MarginalError(together) < MarginalError(alone),
            $"mean |ln marginal error|: together {MarginalError(together):F3}, alone {MarginalError(alone):F3}");
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        var cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }
}
