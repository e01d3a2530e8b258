using MathNet.Numerics;
using SpendOptimizer.Core.CustomerValueModels;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class BgNbdLikelihoodTests
{
    private static readonly BgNbdParameters Cdnow = new(0.243, 4.414, 0.793, 2.426);

    private static readonly RfmCustomer[] Three =
    [
        new(2, 30.43, 38.86),
        new(1, 1.71, 38.86),
        new(0, 0, 38.86),
    ];

    /// <summary>
    /// FHL 2005 eq. 3 written as the sum of its two terms, each a product of beta and gamma ratios:
    /// L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x)) + δ B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)).
    /// </summary>
    private static double HandLikelihood(double x, double tx, double T, double r, double alpha, double a, double b)
    {
        var gammaPart = Math.Exp(SpecialFunctions.GammaLn(r + x) - SpecialFunctions.GammaLn(r)) * Math.Pow(alpha, r);
        var stillAlive = Math.Exp(SpecialFunctions.BetaLn(a, b + x) - SpecialFunctions.BetaLn(a, b)) * gammaPart / Math.Pow(alpha + T, r + x);
        var droppedOut = x > 0
            ? Math.Exp(SpecialFunctions.BetaLn(a + 1, b + x - 1) - SpecialFunctions.BetaLn(a, b)) * gammaPart / Math.Pow(alpha + tx, r + x)
            : 0;
        return stillAlive + droppedOut;
    }

    [Fact]
    public void Three_customers_log_likelihood_matches_the_formula_term_by_term()
    {
        var expected = Three.Sum(c => Math.Log(HandLikelihood(c.Frequency, c.Recency, c.Age, 0.243, 4.414, 0.793, 2.426)));
        Assert.Equal(expected, BgNbd.LogLikelihood(Three, Cdnow), 9);
        for (var i = 0; i < Three.Length; i++)
            Assert.Equal(Math.Log(HandLikelihood(Three[i].Frequency, Three[i].Recency, Three[i].Age, 0.243, 4.414, 0.793, 2.426)),
                BgNbd.IndividualLogLikelihood(Three[i].Frequency, Three[i].Recency, Three[i].Age, Cdnow), 9);
    }

    /// <summary>
    /// The individual likelihood by its definition: (1−p)^x λ^x e^(−λT) + δ p (1−p)^(x−1) λ^x e^(−λ t_x), integrated
    /// numerically over Gamma(r, α) for λ and Beta(a, b) for p.
    /// </summary>
    [Fact]
    public void Three_customers_log_likelihood_matches_the_mixture_integral()
    {
        var p = new BgNbdParameters(1.3, 4.414, 1.7, 2.426);
        var expected = 0.0;
        foreach (var c in Three)
        {
            var (x, tx, T) = (c.Frequency, c.Recency, c.Age);
            var l = MixtureIntegrals.OverLambdaAndP((lambda, q) =>
                Math.Pow(1 - q, x) * Math.Pow(lambda, x) * Math.Exp(-lambda * T)
                + (x > 0 ? q * Math.Pow(1 - q, x - 1) * Math.Pow(lambda, x) * Math.Exp(-lambda * tx) : 0), p.R, p.Alpha, p.A, p.B, (p.R + x) / (p.Alpha + T));
            expected += Math.Log(l);
        }
        Assert.Equal(expected, BgNbd.LogLikelihood(Three, p), 8);
    }

    [Fact]
    public void Weight_counts_identical_customers()
    {
        RfmCustomer[] doubled = [Three[0], Three[0], Three[1], Three[2], Three[2], Three[2]];
        RfmCustomer[] weighted = [Three[0] with { Weight = 2 }, Three[1], Three[2] with { Weight = 3 }];
        Assert.Equal(BgNbd.LogLikelihood(doubled, Cdnow), BgNbd.LogLikelihood(weighted, Cdnow), 9);
    }

    [Theory]
    [InlineData(-1, 0, 10, "customers[1].Frequency")]
    [InlineData(1.5, 1, 10, "customers[1].Frequency")]
    [InlineData(2, 11, 10, "customers[1].Recency")]
    [InlineData(2, 0, 10, "customers[1].Recency")]
    [InlineData(0, 0, 0, "customers[1].Age")]
    [InlineData(0, 0, double.NaN, "customers[1].Age")]
    public void Bad_customers_are_refused_naming_the_field(double x, double tx, double T, string field)
    {
        RfmCustomer[] customers = [Three[0], new(x, tx, T)];
        var e = Assert.Throws<ArgumentException>(() => BgNbd.Fit(customers));
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void Bad_weights_and_unfittable_bases_are_refused()
    {
        Assert.Equal("customers[0].Weight", Assert.Throws<ArgumentException>(() => BgNbd.Fit([Three[0] with { Weight = 0 }])).ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentException>(() => BgNbd.Fit([Three[2]])).ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentException>(() => BgNbd.Fit([])).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => BgNbd.LogLikelihood(Three, Cdnow with { B = -1 })).ParamName);
    }
}
