using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.Numerics;

public class SeededRandomTests
{
    [Fact]
    public void The_same_seed_gives_the_same_stream_and_another_seed_another()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        var c = new SeededRandom(43);
        var first = Enumerable.Range(0, 100).Select(_ => a.NextDouble()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 100).Select(_ => b.NextDouble()));
        Assert.True(first.Zip(Enumerable.Range(0, 100).Select(_ => c.NextDouble())).Count(p => p.First == p.Second) == 0);
    }

    /// <summary>
    /// Worlds 1, 2, 3 … and curve draws seeded s·k + i must be independent samples. System.Random's first draw moves
    /// almost linearly with its seed (a sawtooth: consecutive seeds correlate at about ±0.5), which this catches.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(7919)]
    public void Neighbouring_seeds_give_unrelated_first_draws(int step)
    {
        const int n = 4000;
        var first = Enumerable.Range(1, n).Select(s => new SeededRandom(s * step).NextDouble()).ToArray();
        var fifth = Enumerable.Range(1, n).Select(s => { var r = new SeededRandom(s * step); for (var k = 0; k < 4; k++) r.NextDouble(); return r.NextDouble(); }).ToArray();
        // With n = 4000 a correlation's sd is about 0.016; 0.08 is five of them.
        Assert.InRange(Correlation(first[..^1], first[1..]), -0.08, 0.08);
        Assert.InRange(Correlation(fifth[..^1], fifth[1..]), -0.08, 0.08);
        Assert.InRange(Correlation(first, Enumerable.Range(1, n).Select(s => (double)s).ToArray()), -0.08, 0.08);
    }

    [Fact]
    public void Draws_have_the_moments_they_promise()
    {
        var rng = new SeededRandom(3);
        const int n = 200_000;
        var u = Enumerable.Range(0, n).Select(_ => rng.Uniform(2, 4)).ToArray();
        Assert.InRange(u.Average(), 2.99, 3.01);
        Assert.InRange(u.Min(), 2, 2.001);
        Assert.True(u.Max() < 4);
        Assert.InRange(Variance(u), 4 / 12.0 * 0.98, 4 / 12.0 * 1.02);

        var z = Enumerable.Range(0, n).Select(_ => rng.Normal(5, 2)).ToArray();
        Assert.InRange(z.Average(), 4.98, 5.02);
        Assert.InRange(Math.Sqrt(Variance(z)), 1.98, 2.02);

        var counts = new int[6];
        for (var k = 0; k < n; k++) counts[rng.Integer(10, 16) - 10]++;
        Assert.All(counts, c => Assert.InRange(c, n / 6 * 0.97, n / 6 * 1.03));

        var f = Enumerable.Range(0, n).Select(_ => rng.LogNormalFactor(0.2)).ToArray();
        Assert.InRange(f.Average(), 0.995, 1.005);
        Assert.InRange(Math.Sqrt(Variance(f)), 0.196, 0.204);

        var p = Enumerable.Range(0, n).Select(_ => (double)rng.Poisson(1.5)).ToArray();
        Assert.InRange(p.Average(), 1.49, 1.51);
        Assert.InRange(Variance(p), 1.47, 1.53);
    }

    private static double Variance(double[] x)
    {
        var mean = x.Average();
        return x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
