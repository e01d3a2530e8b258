using MathNet.Numerics;
using SpendOptimizer.Core.CustomerValueModels;
using Xunit.Abstractions;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class GammaGammaTests(ITestOutputHelper output)
{
    private static readonly GammaGammaParameters Truth = new(6, 4, 15);

    private static readonly RfmCustomer[] Three = [new(2, 30.43, 38.86, 22.35), new(1, 1.71, 38.86, 11.77), new(6, 29.43, 38.86, 47.5)];

    private static double GammaDensity(double v, double shape, double rate) =>
        Math.Exp(shape * Math.Log(rate) - SpecialFunctions.GammaLn(shape) + (shape - 1) * Math.Log(v) - rate * v);

    /// <summary>∫ h(ν) · Gamma(m_x; p·x, rate ν·x) · Gamma(ν; q, rate γ) dν, with ν = γ'·u/(1−u).</summary>
    private static double OverNu(Func<double, double> h, double x, double mx, GammaGammaParameters g) =>
        Integrate.DoubleExponential(u =>
        {
            var nu = g.Q / g.Gamma * u / (1 - u);
            var value = h(nu) * GammaDensity(mx, g.P * x, nu * x) * GammaDensity(nu, g.Q, g.Gamma) * g.Q / g.Gamma / ((1 - u) * (1 - u));
            return double.IsFinite(value) ? value : 0;
        }, 0, 1, 1e-14);

    [Fact]
    public void Three_customers_log_likelihood_matches_the_formula_term_by_term_and_the_mixture_integral()
    {
        var (p, q, gamma) = (6.25, 3.74, 15.44);
        var byHand = 0.0;
        var byIntegral = 0.0;
        foreach (var c in Three)
        {
            var (x, m) = (c.Frequency, c.MeanRepeatValue);
            var ratio = Math.Exp(SpecialFunctions.GammaLn(p * x + q) - SpecialFunctions.GammaLn(p * x) - SpecialFunctions.GammaLn(q));
            var density = ratio * Math.Pow(gamma, q) * Math.Pow(m, p * x - 1) * Math.Pow(x, p * x) / Math.Pow(gamma + m * x, p * x + q);
            byHand += Math.Log(density);
            byIntegral += Math.Log(OverNu(_ => 1, x, m, new GammaGammaParameters(p, q, gamma)));
        }
        var ll = GammaGamma.LogLikelihood(Three, new GammaGammaParameters(p, q, gamma));
        Assert.Equal(byHand, ll, 9);
        Assert.Equal(byIntegral, ll, 8);
    }

    [Fact]
    public void Conditional_expected_value_is_the_posterior_mean_of_p_over_nu()
    {
        foreach (var c in Three)
        {
            var evidence = OverNu(_ => 1, c.Frequency, c.MeanRepeatValue, Truth);
            var mean = OverNu(nu => Truth.P / nu, c.Frequency, c.MeanRepeatValue, Truth) / evidence;
            Assert.Equal(1, GammaGamma.ConditionalExpectedAverageValue(c.Frequency, c.MeanRepeatValue, Truth) / mean, 8);
        }
        Assert.Equal(6 * 15 / 3.0, GammaGamma.ExpectedValue(Truth), 12);
        Assert.Equal(double.PositiveInfinity, GammaGamma.ExpectedValue(Truth with { Q = 0.9 }));
    }

    /// <summary>
    /// 100 bases of 3,000 buyers: 90% intervals hold the truth in 85–95% of them, and the summed conditional expected
    /// values match the simulated mean of each buyer's next five purchases within 3 standard errors of the mean error.
    /// </summary>
    [Fact]
    public void Intervals_cover_the_true_parameters_and_holdout_values_are_unbiased()
    {
        const int bases = 100;
        var coverage = new CoverageCount(GammaGamma.ParameterNames, [Truth.P, Truth.Q, Truth.Gamma]);
        var errors = new List<double>();
        for (var seed = 1; seed <= bases; seed++)
        {
            var simulated = CustomerSimulation.SpendBase(1000 + seed, Truth, 3000, 5);
            var fit = GammaGamma.Fit([.. simulated.Select(s => s.Customer)]);
            coverage.Add(fit.Summary);
            errors.Add(simulated.Sum(s => GammaGamma.ConditionalExpectedAverageValue(s.Customer.Frequency, s.Customer.MeanRepeatValue, fit.Parameters) - s.FutureMean));
        }
        var mean = errors.Average();
        var se = Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (bases - 1) / bases);
        output.WriteLine($"Gamma-Gamma coverage over {bases} bases: {coverage}");
        output.WriteLine($"holdout: mean error {mean:F1} ± {se:F1} (z = {mean / se:F2})");
        for (var i = 0; i < 3; i++) Assert.InRange(coverage.Share(i), 0.85, 0.95);
        Assert.InRange(mean, -3 * se, 3 * se);
    }

    [Fact]
    public void Non_buyers_are_skipped_and_bad_values_refused()
    {
        var buyers = CustomerSimulation.SpendBase(9, Truth, 300, 1).Select(s => s.Customer).ToList();
        var withNonBuyers = buyers.Concat([new RfmCustomer(0, 0, 10), new RfmCustomer(0, 0, 20)]).ToList();
        Assert.Equal(GammaGamma.Fit(buyers).Parameters, GammaGamma.Fit(withNonBuyers).Parameters);
        var e = Assert.Throws<ArgumentException>(() => GammaGamma.Fit([buyers[0], buyers[1] with { MeanRepeatValue = 0 }]));
        Assert.Equal("customers[1].MeanRepeatValue", e.ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentException>(() => GammaGamma.Fit([new RfmCustomer(0, 0, 10)])).ParamName);
    }
}
