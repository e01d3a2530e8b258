namespace SpendOptimizer.Core.Simulation;

/// <summary>Seeded draws for simulations; the same seed gives the same world on every machine.</summary>
public sealed class SeededRandom(int seed)
{
    private readonly Random _random = new(seed);

    public double Uniform(double low = 0, double high = 1) => low + (high - low) * _random.NextDouble();

    public int Integer(int lowInclusive, int highExclusive) => _random.Next(lowInclusive, highExclusive);

    /// <summary>Box–Muller; one of the pair is discarded to keep the stream simple to reason about.</summary>
    public double Normal(double mean = 0, double sd = 1)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A positive multiplicative noise factor with mean 1 and the given coefficient of variation.</summary>
    public double LogNormalFactor(double cv)
    {
        var sigma2 = Math.Log(1 + cv * cv);
        return Math.Exp(Normal(-sigma2 / 2, Math.Sqrt(sigma2)));
    }

    public int Poisson(double mean)
    {
        if (mean > 50) return Math.Max(0, (int)Math.Round(Normal(mean, Math.Sqrt(mean))));
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = _random.NextDouble(); p > limit; p *= _random.NextDouble()) k++;
        return k;
    }

    public int Pick(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = Uniform(0, total);
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x <= 0) return i;
        }
        return weights.Count - 1;
    }
}
