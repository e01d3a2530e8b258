using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Numerics;
using Xunit.Abstractions;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class ShiftedBetaGeometricTests(ITestOutputHelper output)
{
    private static readonly SbgParameters Truth = new(0.7, 2.5);

    /// <summary>Fader &amp; Hardie 2007's recursion: P(1) = α/(α+β), P(t) = P(t−1)·(β+t−2)/(α+β+t−1), S(t) = 1 − Σ P.</summary>
    private static (double[] P, double[] S) ByRecursion(double alpha, double beta, int n)
    {
        var p = new double[n + 1];
        var s = new double[n + 1];
        s[0] = 1;
        for (var t = 1; t <= n; t++)
        {
            p[t] = t == 1 ? alpha / (alpha + beta) : p[t - 1] * (beta + t - 2) / (alpha + beta + t - 1);
            s[t] = s[t - 1] - p[t];
        }
        return (p, s);
    }

    [Fact]
    public void Log_likelihood_matches_the_recursion()
    {
        // Two small cohorts; the second has a period without losses.
        SubscriptionCohort[] cohorts = [new([1000, 631, 468, 382, 326]), new([500, 400, 400, 350])];
        var (alpha, beta) = (0.668, 3.806);
        var (p, s) = ByRecursion(alpha, beta, 4);
        var expected = 0.0;
        foreach (var c in cohorts)
        {
            var n = c.Survivors.Count - 1;
            for (var t = 1; t <= n; t++) expected += (c.Survivors[t - 1] - c.Survivors[t]) * Math.Log(p[t]);
            expected += c.Survivors[n] * Math.Log(s[n]);
        }
        Assert.Equal(expected, ShiftedBetaGeometric.LogLikelihood(cohorts, new SbgParameters(alpha, beta)), 9);
    }

    [Fact]
    public void Survival_and_retention_agree_with_the_recursion()
    {
        var (_, s) = ByRecursion(Truth.Alpha, Truth.Beta, 24);
        for (var t = 1; t <= 24; t++)
        {
            Assert.Equal(s[t], ShiftedBetaGeometric.Survival(t, Truth), 1e-12);
            Assert.Equal(s[t] / s[t - 1], ShiftedBetaGeometric.Retention(t, Truth), 1e-12);
        }
        Assert.Equal(1, ShiftedBetaGeometric.Survival(0, Truth));
    }

    /// <summary>
    /// 100 bases of three cohorts of 1,000 followed for 12, 8 and 4 months: the 90% intervals hold the truth in 85–95% of
    /// them. Holdout: a cohort of 2,000 fitted on its first 6 months predicts its survivors in months 7–12 without bias.
    /// </summary>
    [Fact]
    public void Intervals_cover_the_true_parameters_and_holdout_survivors_are_unbiased()
    {
        const int bases = 100;
        var coverage = new CoverageCount(ShiftedBetaGeometric.ParameterNames, [Truth.Alpha, Truth.Beta]);
        var errors = new List<double>();
        for (var seed = 1; seed <= bases; seed++)
        {
            var rng = new SeededRandom(5000 + seed);
            SubscriptionCohort[] cohorts = [CustomerSimulation.Cohort(rng, Truth, 1000, 12), CustomerSimulation.Cohort(rng, Truth, 1000, 8), CustomerSimulation.Cohort(rng, Truth, 1000, 4)];
            coverage.Add(ShiftedBetaGeometric.Fit(cohorts).Summary);

            var full = CustomerSimulation.Cohort(rng, Truth, 2000, 12);
            var fit = ShiftedBetaGeometric.Fit([new SubscriptionCohort(full.Survivors.Take(7).ToArray())]);
            var predicted = Enumerable.Range(7, 6).Sum(t => 2000 * ShiftedBetaGeometric.Survival(t, fit.Parameters));
            errors.Add(predicted - Enumerable.Range(7, 6).Sum(t => full.Survivors[t]));
        }
        var mean = errors.Average();
        var se = Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (bases - 1) / bases);
        output.WriteLine($"sBG coverage over {bases} bases: {coverage}");
        output.WriteLine($"holdout survivor-months 7–12: mean error {mean:F1} ± {se:F1} (z = {mean / se:F2})");
        for (var i = 0; i < 2; i++) Assert.InRange(coverage.Share(i), 0.85, 0.95);
        Assert.InRange(mean, -3 * se, 3 * se);
    }

    [Fact]
    public void Bad_cohorts_are_refused_naming_the_entry()
    {
        Assert.Equal("cohorts[0].Survivors[2]", Assert.Throws<ArgumentException>(() => ShiftedBetaGeometric.Fit([new([100, 80, 90])])).ParamName);
        Assert.Equal("cohorts[0].Survivors", Assert.Throws<ArgumentException>(() => ShiftedBetaGeometric.Fit([new([100])])).ParamName);
        Assert.Equal("cohorts[1].Survivors[0]", Assert.Throws<ArgumentException>(() => ShiftedBetaGeometric.Fit([new([100, 50]), new([0, 0])])).ParamName);
        Assert.Equal("cohorts", Assert.Throws<ArgumentException>(() => ShiftedBetaGeometric.Fit([new([100, 100, 100])])).ParamName);
    }

    [Fact]
    public void Survivors_expected_later_are_the_survivors_now_times_the_ratio_of_the_survival_curve()
    {
        // α = β = 1: S(t) = B(1, 1 + t) / B(1, 1) = 1 / (1 + t), so 10 alive after 2 periods leave 10 · (1/5) / (1/3) = 6 after 4.
        var p = new SbgParameters(1, 1);
        Assert.Equal(6, ShiftedBetaGeometric.ExpectedSurvivors(10, 2, 4, p), 12);
        Assert.Equal(10, ShiftedBetaGeometric.ExpectedSurvivors(10, 3, 3, p), 12);
        // From acquisition it is S(m) itself, and one period on it is the retention rate.
        var q = new SbgParameters(0.7, 3.1);
        Assert.Equal(ShiftedBetaGeometric.Survival(5, q), ShiftedBetaGeometric.ExpectedSurvivors(1, 0, 5, q), 12);
        Assert.Equal(ShiftedBetaGeometric.Retention(4, q), ShiftedBetaGeometric.ExpectedSurvivors(1, 3, 4, q), 12);
        Assert.Throws<ArgumentException>(() => ShiftedBetaGeometric.ExpectedSurvivors(1, 4, 3, q));
    }
}
