using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

/// <summary>Predictions against the mixture integrals that define them and against simulation of the process.</summary>
public class BgNbdPredictionTests
{
    public static TheoryData<double, double, double, double> Parameters => new()
    {
        { 0.243, 4.414, 0.793, 2.426 },
        { 1.5, 6, 1.8, 4 },
        { 0.8, 2, 1.004, 3 },
    };

    private static double Individual(double lambda, double p, double x, double tx, double T, bool aliveOnly) =>
        Math.Pow(1 - p, x) * Math.Pow(lambda, x) * Math.Exp(-lambda * T)
        + (x > 0 && !aliveOnly ? p * Math.Pow(1 - p, x - 1) * Math.Pow(lambda, x) * Math.Exp(-lambda * tx) : 0);

    /// <summary>A customer alive with (λ, p) makes (1/p)(1 − e^(−λ p t)) purchases in a window of length t, in expectation.</summary>
    private static double WindowMean(double lambda, double p, double t) => (1 - Math.Exp(-lambda * p * t)) / p;

    [Theory]
    [MemberData(nameof(Parameters))]
    public void Alive_probability_and_conditional_expectation_match_the_posterior_integrals(double r, double alpha, double a, double b)
    {
        var p = new BgNbdParameters(r, alpha, a, b);
        (double x, double tx, double T)[] histories = [(0, 0, 30), (1, 5, 30), (4, 6, 30), (12, 35, 40)];
        foreach (var (x, tx, T) in histories)
        {
            var evidence = MixtureIntegrals.OverLambdaAndP((l, q) => Individual(l, q, x, tx, T, false), r, alpha, a, b, (r + x) / (alpha + T));
            var alive = MixtureIntegrals.OverLambdaAndP((l, q) => Individual(l, q, x, tx, T, true), r, alpha, a, b, (r + x) / (alpha + T));
            var future = MixtureIntegrals.OverLambdaAndP((l, q) => Individual(l, q, x, tx, T, true) * WindowMean(l, q, 26), r, alpha, a, b, (r + x) / (alpha + T));
            Assert.Equal(alive / evidence, BgNbd.ProbabilityAlive(x, tx, T, p), 7);
            var expected = future / evidence;
            Assert.Equal(1, BgNbd.ConditionalExpectedTransactions(26, x, tx, T, p) / expected, 7);
        }
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public void Expected_transactions_of_a_new_customer_match_the_mixture_integral(double r, double alpha, double a, double b)
    {
        var p = new BgNbdParameters(r, alpha, a, b);
        foreach (var t in new[] { 0.5, 10, 52, 260 })
        {
            var expected = MixtureIntegrals.OverLambdaAndP((l, q) => WindowMean(l, q, t), r, alpha, a, b, r / alpha);
            Assert.Equal(1, BgNbd.ExpectedTransactions(t, p) / expected, 7);
        }
        Assert.Equal(0, BgNbd.ExpectedTransactions(0, p));
    }

    /// <summary>Below a + b = 1 (₂F₁'s third argument negative for a customer without repeats), against the integral over p evaluated
    /// to 30 digits (mpmath quad of (1 − (α/(α+pt))^r)/p · Beta(p; a, b) on [0, ½, 1]).</summary>
    [Theory]
    [InlineData(0.5, 3, 0.3, 0.5, 0.5, 0.0797773568017208799629692595454)]
    [InlineData(0.5, 3, 0.3, 0.5, 10, 1.08287781826086247936531529615)]
    [InlineData(0.5, 3, 0.3, 0.5, 260, 11.1567463608327425767413037595)]
    [InlineData(0.6, 2, 0.7, 0.3, 0.5, 0.132221075758637100649785112422)]
    [InlineData(0.6, 2, 0.7, 0.3, 52, 1.98712645677930554213029243784)]
    [InlineData(0.6, 2, 0.7, 0.3, 260, 3.3809263473319254193471392887)]
    public void Below_a_plus_b_of_one_expectations_match_the_integral_and_a_customer_without_repeats_is_a_new_one_aged(
        double r, double alpha, double a, double b, double t, double expected)
    {
        Assert.Equal(1, BgNbd.ExpectedTransactions(t, new BgNbdParameters(r, alpha, a, b)) / expected, 7);
        // Without repeats, alive for sure, λ ~ Gamma(r, α + T) and p ~ Beta(a, b): a new customer with α + T.
        const double age = 30;
        var conditional = BgNbd.ConditionalExpectedTransactions(t, 0, 0, age, new BgNbdParameters(r, alpha, a, b));
        var fresh = BgNbd.ExpectedTransactions(t, new BgNbdParameters(r, alpha + age, a, b));
        Assert.True(double.IsFinite(conditional) && conditional > 0, $"E[Y({t}) | x = 0] = {conditional}");
        Assert.Equal(1, conditional / fresh, 9);
    }

    [Fact]
    public void Expected_transactions_of_a_new_customer_match_simulation()
    {
        var p = new BgNbdParameters(0.9, 5, 1.6, 4);
        var rng = new SeededRandom(2024);
        const int n = 100_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var x = CustomerSimulation.BgNbdCustomer(rng, p, 52, 0).Calibration.Frequency;
            sum += x;
            sumSq += x * x;
        }
        var mean = sum / n;
        var se = Math.Sqrt((sumSq / n - mean * mean) / n);
        Assert.InRange(BgNbd.ExpectedTransactions(52, p), mean - 4 * se, mean + 4 * se);
    }

    [Fact]
    public void Alive_probability_falls_with_time_since_the_last_purchase_and_is_one_without_repeats()
    {
        var p = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
        Assert.Equal(1, BgNbd.ProbabilityAlive(0, 0, 30, p));
        var recent = BgNbd.ProbabilityAlive(3, 29, 30, p);
        var lapsed = BgNbd.ProbabilityAlive(3, 5, 30, p);
        Assert.True(recent > lapsed && lapsed > 0 && recent < 1);
    }
}
