namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>Gauss's hypergeometric function, which MathNet.Numerics does not provide.</summary>
internal static class Hypergeometric
{
    private const int MaxTerms = 2_000_000;

    /// <summary>
    /// ₂F₁(a, b; c; z) by its power series for 0 ≤ z &lt; 1 and a, b, c &gt; 0, the only case the customer-value models
    /// need. All terms are then positive; once the ratio of successive terms ρ_n is past its turning point the remaining
    /// ratios stay below max(ρ_n, z) &lt; 1, so the tail is at most term·ρ/(1 − ρ), and the sum stops when that bound falls
    /// below 1e-15 of the sum.
    /// </summary>
    public static double Gauss2F1(double a, double b, double c, double z)
    {
        if (!(z >= 0 && z < 1)) throw new ArgumentOutOfRangeException(nameof(z), "must lie in [0, 1)");
        if (!(a > 0 && b > 0 && c > 0)) throw new ArgumentOutOfRangeException(nameof(c), "a, b and c must be positive");
        var term = 1.0;
        var sum = 1.0;
        var settled = 2 * (a + b + c) + 2;
        for (var n = 0; n < MaxTerms; n++)
        {
            var ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            sum += term;
            var bound = Math.Max(ratio, z);
            if (n > settled && bound < 1 && term * bound <= 1e-15 * sum * (1 - bound)) return sum;
        }
        return sum;
    }
}
