using SpendOptimizer.Core.Forecasting;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.Forecasting;

public sealed class SingularSpectrumTests
{
    private const double NoiseSd = 20;

    private static double[] Series(int seed, int n)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, n).Select(t => 1000 + 2 * t + 150 * Math.Sin(2 * Math.PI * t / 13) + rng.Normal(0, NoiseSd)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ForecastOfASeasonalSeriesWithTrendIsWithinTheNoise(int seed)
    {
        var full = Series(seed, 112);
        var ssa = SingularSpectrum.Fit(full[..104], window: 26, components: 4);
        var forecast = ssa.Forecast(8);
        var truth = Enumerable.Range(104, 8).Select(t => 1000 + 2 * t + 150 * Math.Sin(2 * Math.PI * t / 13)).ToArray();
        var rmse = Math.Sqrt(forecast.Select((f, i) => Math.Pow(f.Value - truth[i], 2)).Average());
        Assert.True(rmse < 2 * NoiseSd, $"forecast RMSE {rmse:F1} against noise sd {NoiseSd}");
        Assert.True(forecast.Count(f => f.Lower90 <= full[104 + f.Step - 1] && full[104 + f.Step - 1] <= f.Upper90) >= 6);
        Assert.True(forecast[7].Upper90 - forecast[7].Lower90 > forecast[0].Upper90 - forecast[0].Lower90);
    }

    [Fact]
    public void InjectedSpikesAreFlaggedAndOrdinaryWeeksMostlyAreNot()
    {
        var spikes = new[] { 20, 47, 75, 90 };
        int found = 0, falseAlarms = 0, ordinary = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var series = Series(seed, 104);
            foreach (var s in spikes) series[s] += 8 * NoiseSd;
            var flagged = SingularSpectrum.Fit(series, 26, 4).Anomalies(3.5).Select(a => a.Index).ToHashSet();
            found += spikes.Count(flagged.Contains);
            falseAlarms += flagged.Count(i => !spikes.Contains(i));
            ordinary += 104 - spikes.Length;
        }
        Assert.True(found >= 0.9 * 20 * spikes.Length, $"recall {found / (20.0 * spikes.Length):P0}");
        Assert.True(falseAlarms <= 0.02 * ordinary, $"false alarms {falseAlarms} of {ordinary} ordinary weeks");
    }

    [Fact]
    public void WindowLongerThanHalfTheSeriesIsRefused()
    {
        Assert.Throws<ArgumentException>(() => SingularSpectrum.Fit(new double[20], 15, 2));
    }
}
