using SpendOptimizer.Core.CustomerValueModels;
using Xunit.Abstractions;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class BgNbdFitTests(ITestOutputHelper output)
{
    private static readonly BgNbdParameters Truth = new(0.25, 4, 0.8, 2.5);
    private const int Bases = 100;
    private const int Customers = 4000;
    private const double Holdout = 39;

    /// <summary>
    /// 100 bases of 4,000 customers (ages 30–78 weeks) drawn from known parameters: each parameter's 90% interval must
    /// hold the truth in 85–95% of them, and the holdout prediction (the sum of conditional expectations for the next 39
    /// weeks) must match the simulated purchases without bias: the mean error over bases is within 3 of its standard errors.
    /// </summary>
    [Fact]
    public void Intervals_cover_the_true_parameters_and_holdout_predictions_are_unbiased()
    {
        var coverage = new CoverageCount(BgNbd.ParameterNames, [Truth.R, Truth.Alpha, Truth.A, Truth.B]);
        var errors = new List<double>();
        var actuals = new List<double>();
        for (var seed = 1; seed <= Bases; seed++)
        {
            var simulated = CustomerSimulation.BgNbdBase(seed, Truth, Customers, Holdout);
            var fit = BgNbd.Fit([.. simulated.Select(s => s.Calibration)]);
            coverage.Add(fit.Summary);
            var predicted = simulated.Sum(s => BgNbd.ConditionalExpectedTransactions(Holdout, s.Calibration.Frequency, s.Calibration.Recency, s.Calibration.Age, fit.Parameters));
            var actual = simulated.Sum(s => s.Holdout);
            errors.Add(predicted - actual);
            actuals.Add(actual);
        }
        var meanError = errors.Average();
        var se = Math.Sqrt(errors.Sum(e => (e - meanError) * (e - meanError)) / (Bases - 1) / Bases);
        output.WriteLine($"BG/NBD coverage over {Bases} bases: {coverage}");
        output.WriteLine($"holdout: mean actual {actuals.Average():F1}, mean error {meanError:F2} ± {se:F2} (z = {meanError / se:F2})");
        for (var i = 0; i < BgNbd.ParameterNames.Count; i++) Assert.InRange(coverage.Share(i), 0.85, 0.95);
        Assert.InRange(meanError, -3 * se, 3 * se);
    }

    [Fact]
    public void The_fit_is_the_maximum_and_reports_its_likelihood_and_size()
    {
        var simulated = CustomerSimulation.BgNbdBase(777, Truth, 2000, 0);
        var customers = simulated.Select(s => s.Calibration).ToArray();
        var fit = BgNbd.Fit(customers);
        Assert.Equal(BgNbd.LogLikelihood(customers, fit.Parameters), fit.Summary.LogLikelihood, 9);
        Assert.Equal(2000, fit.Summary.Customers);
        Assert.Equal(0, fit.Summary.PooledWeight);
        // Moving any parameter by 1% either way lowers the likelihood.
        foreach (var move in new Func<BgNbdParameters, double, BgNbdParameters>[]
                 { (p, f) => p with { R = p.R * f }, (p, f) => p with { Alpha = p.Alpha * f }, (p, f) => p with { A = p.A * f }, (p, f) => p with { B = p.B * f } })
        {
            Assert.True(BgNbd.LogLikelihood(customers, move(fit.Parameters, 1.01)) < fit.Summary.LogLikelihood);
            Assert.True(BgNbd.LogLikelihood(customers, move(fit.Parameters, 0.99)) < fit.Summary.LogLikelihood);
        }
        foreach (var e in fit.Summary.Parameters)
        {
            Assert.True(e.Lower90 < e.Estimate && e.Estimate < e.Upper90);
            // The log-scale interval spans ±1.645 log-scale sds, and SE = estimate × sd on the log scale.
            Assert.Equal(Math.Log(e.Upper90 / e.Lower90) / (2 * 1.6448536269514722), e.StandardError / e.Estimate, 9);
        }
    }

    [Fact]
    public void Weighted_unique_triples_fit_as_the_customers_they_stand_for()
    {
        var customers = CustomerSimulation.BgNbdBase(5, Truth, 1500, 0).Select(s => s.Calibration with { Recency = Math.Ceiling(s.Calibration.Recency) }).ToArray();
        var grouped = customers.GroupBy(c => c).Select(g => g.Key with { Weight = g.Count() }).ToArray();
        Assert.True(grouped.Length < customers.Length);
        var a = BgNbd.Fit(customers).Parameters;
        var b = BgNbd.Fit(grouped).Parameters;
        Assert.Equal(a.R, b.R, 6);
        Assert.Equal(a.Alpha, b.Alpha, 5);
        Assert.Equal(a.A, b.A, 6);
        Assert.Equal(a.B, b.B, 6);
    }
}
