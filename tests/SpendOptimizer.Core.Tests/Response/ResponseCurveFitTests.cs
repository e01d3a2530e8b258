using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Tests.Response;

public sealed class ResponseCurveFitTests
{
    public static TheoryData<int, double, double, double, double, double> Channels => new()
    {
        // seed, typical weekly spend, θ, α, κ as a multiple of typical adstock, noise cv
        { 1, 10_000, 0.3, 1.0, 1.0, 0.05 },
        { 2, 25_000, 0.5, 1.8, 1.5, 0.07 },
        { 3, 5_000, 0.1, 0.8, 0.6, 0.10 },
        { 4, 40_000, 0.6, 2.5, 2.0, 0.08 },
        { 5, 15_000, 0.2, 1.4, 0.8, 0.06 },
        { 6, 8_000, 0.4, 1.1, 3.0, 0.10 },
    };

    private static (double[] Spend, double[] Response, HillAdstock Truth) Simulate(int seed, double typical, double theta, double alpha, double kappaRatio, double noise, int weeks = 104)
    {
        var rng = new SeededRandom(seed);
        var truth = new HillAdstock(theta, alpha, kappaRatio * typical / (1 - theta), typical / 80.0 / 0.5);
        var spend = Enumerable.Range(0, weeks).Select(_ => typical * rng.LogNormalFactor(0.3)).ToArray();
        var response = truth.Predict(spend).Select(y => y * rng.LogNormalFactor(noise)).ToArray();
        return (spend, response, truth);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void SteadyStateResponseNearTypicalSpendIsWithinTenPercentOfTheTruth(int seed, double typical, double theta, double alpha, double kappaRatio, double noise)
    {
        var (spend, response, truth) = Simulate(seed, typical, theta, alpha, kappaRatio, noise);
        var fit = ResponseCurveFit.Fit(spend, response);
        foreach (var level in new[] { 0.8, 1.0, 1.2 })
        {
            var expected = truth.SteadyState(level * typical);
            var actual = fit.Curve.SteadyState(level * typical);
            Assert.True(Math.Abs(actual / expected - 1) <= 0.10,
                $"at {level}× spend: fitted {actual:F2}, true {expected:F2} ({actual / expected - 1:P1}); fit θ {fit.Curve.Theta:F2} α {fit.Curve.Alpha:F2} κ {fit.Curve.Kappa:F0}");
        }
        // The fit explains the data about as well as the true curve does (noise limits both).
        var mean = response.Average();
        var trueR2 = 1 - truth.Predict(spend).Zip(response, (a, b) => (a - b) * (a - b)).Sum() / response.Sum(v => (v - mean) * (v - mean));
        Assert.True(fit.RSquared >= trueR2 - 0.05, $"R² {fit.RSquared:F2}, true curve's {trueR2:F2}");
        Assert.DoesNotContain(fit.Warnings, w => w.Contains("weeks") || w.Contains("varies"));
    }

    [Fact]
    public void TooFewWeeksOrFlatSpendIsWarned()
    {
        var (spend, response, _) = Simulate(9, 10_000, 0.3, 1.2, 1, 0.05, weeks: 12);
        Assert.Contains(ResponseCurveFit.Fit(spend, response).Warnings, w => w.Contains("12 weeks"));
        var flat = Enumerable.Repeat(10_000.0, 60).ToArray();
        var y = new HillAdstock(0.3, 1.2, 14_000, 200).Predict(flat);
        Assert.Contains(ResponseCurveFit.Fit(flat, y).Warnings, w => w.Contains("hardly varies"));
    }

    [Fact]
    public void IntervalsCoverTheTruthAndDrawsAreSeeded()
    {
        var (spend, response, truth) = Simulate(2, 25_000, 0.5, 1.8, 1.5, 0.07);
        var fit = ResponseCurveFit.Fit(spend, response);
        Assert.True(fit.Beta.Sd > 0 && fit.Theta.Sd > 0);
        var draws = fit.Draws(200, seed: 4);
        Assert.Equal(draws, fit.Draws(200, seed: 4));
        // the draws' 5–95% range of steady-state response at typical spend covers the true value
        var at = draws.Select(d => d.SteadyState(25_000)).Order().ToList();
        Assert.InRange(truth.SteadyState(25_000), at[5] * 0.97, at[194] * 1.03);
    }

    [Fact]
    public void MarginalIsTheDerivativeOfTheSteadyState()
    {
        var c = new HillAdstock(0.4, 1.7, 20_000, 300);
        foreach (var s in new[] { 2_000.0, 10_000, 30_000 })
        {
            var numeric = (c.SteadyState(s + 1) - c.SteadyState(s - 1)) / 2;
            Assert.Equal(numeric, c.Marginal(s), 6);
        }
    }
}
