using SpendOptimizer.Core.Incrementality;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.Incrementality;

public sealed class GeoLiftAnalysisTests
{
    private static readonly DateOnly Start = new(2025, 3, 1);

    /// <summary>20 geos (10 treated), 60 days before and 28 during the test, shared seasonality, 5% geo-day noise.</summary>
    private static (List<GeoObservation> Rows, double TrueIncremental) Simulate(int seed, double lift)
    {
        var rng = new SeededRandom(seed);
        var levels = Enumerable.Range(0, 20).Select(_ => rng.Uniform(50, 150)).ToArray();
        var rows = new List<GeoObservation>();
        var truth = 0.0;
        for (var day = -60; day < 28; day++)
        {
            var date = Start.AddDays(day);
            var season = 1 + 0.2 * Math.Sin(2 * Math.PI * day / 7) + 0.1 * Math.Sin(2 * Math.PI * day / 30);
            for (var g = 0; g < 20; g++)
            {
                var treated = g < 10;
                var baseline = levels[g] * season * rng.LogNormalFactor(0.05);
                var effect = treated && day >= 0 ? baseline * lift : 0;
                truth += effect;
                rows.Add(new GeoObservation($"g{g}", date, treated, baseline + effect, treated ? (day >= 0 ? 1500 : 1000) : 800));
            }
        }
        return (rows, truth);
    }

    [Fact]
    public void NinetyPercentIntervalsCoverTheInjectedLiftAboutNinetyPercentOfTheTimeWithoutBias()
    {
        const int tests = 200;
        var covered = 0;
        var errors = new List<double>();
        var ses = new List<double>();
        for (var seed = 1; seed <= tests; seed++)
        {
            var (rows, truth) = Simulate(seed, lift: 0.03 + 0.0005 * seed);
            var r = GeoLiftAnalysis.Analyze(rows, Start, Start.AddDays(27));
            if (r.Lower90 <= truth && truth <= r.Upper90) covered++;
            errors.Add(r.Incremental - truth);
            ses.Add(r.StandardError);
        }
        Assert.InRange(covered / (double)tests, 0.85, 0.95);
        // unbiased: the mean error is within 3 standard errors of that mean
        var meanSe = ses.Average() / Math.Sqrt(tests);
        Assert.True(Math.Abs(errors.Average()) <= 3 * meanSe, $"mean error {errors.Average():F2}, its se {meanSe:F2}");
    }

    [Fact]
    public void IroasDividesIncrementalKpiByIncrementalSpend()
    {
        var (rows, _) = Simulate(7, 0.05);
        var r = GeoLiftAnalysis.Analyze(rows, Start, Start.AddDays(27));
        // treated spend went from 10 × 1000 to 10 × 1500 a day for 28 days: 140,000 incremental
        Assert.Equal(140_000, r.IncrementalSpend, 6);
        Assert.Equal(r.Incremental / 140_000, r.Iroas!.Value, 12);
        Assert.Equal(60, r.PreDays);
        Assert.Equal(28, r.TestDays);
        Assert.True(r.PreRSquared > 0.8);
    }

    [Fact]
    public void NoControlGeosIsAnError()
    {
        var rows = new[] { new GeoObservation("a", Start, true, 1, 1) };
        Assert.Throws<ArgumentException>(() => GeoLiftAnalysis.Analyze(rows, Start, Start));
    }
}
