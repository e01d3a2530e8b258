using SpendOptimizer.Core.CustomerValueModels;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class HypergeometricTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.7)]
    [InlineData(0.99)]
    [InlineData(0.9999)]
    public void Series_matches_closed_forms(double z)
    {
        Assert.Equal(-Math.Log(1 - z) / z, Hypergeometric.Gauss2F1(1, 1, 2, z), 10);
        Assert.Equal(1, Hypergeometric.Gauss2F1(2.5, 1.7, 1.7, z) * Math.Pow(1 - z, 2.5), 10);
        // 2F1(1/2, 1; 3/2; z²) = artanh(z)/z.
        var s = Math.Sqrt(z);
        Assert.Equal(Math.Atanh(s) / s, Hypergeometric.Gauss2F1(0.5, 1, 1.5, z), 10);
    }
}
