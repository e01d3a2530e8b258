namespace SpendOptimizer.Core.Numerics;

/// <summary>
/// Seeded draws for simulations; the same seed gives the same stream on every machine. The generator is
/// xoshiro256** with its state filled by SplitMix64 from the seed, so neighbouring seeds (1, 2, 3 … or s·k + i)
/// give unrelated streams. System.Random(seed) does not: its first draws move almost linearly with the seed, so seeds
/// 1, 2, 3 … would give a lattice of worlds rather than independent samples.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(int seed) : this((ulong)(long)seed)
    {
    }

    /// <summary>
    /// Another family of streams: SplitMix64 starts from seed XOR <paramref name="stream"/>. A stream whose high 32 bits
    /// are neither all 0 nor all 1 never starts where any <see cref="SeededRandom(int)"/> does, so no int seed of the
    /// plain constructor reproduces it.
    /// </summary>
    public SeededRandom(int seed, ulong stream) : this((ulong)(long)seed ^ stream)
    {
    }

    private SeededRandom(ulong start)
    {
        var x = start;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low = 0, double high = 1) => low + (high - low) * NextDouble();

    public int Integer(int lowInclusive, int highExclusive)
    {
        if (highExclusive <= lowInclusive) throw new ArgumentOutOfRangeException(nameof(highExclusive), "the range is empty");
        return lowInclusive + (int)((ulong)(highExclusive - (long)lowInclusive) * (Next() >> 32) >> 32);
    }

    /// <summary>Box–Muller; one of the pair is discarded to keep the stream simple to reason about.</summary>
    public double Normal(double mean = 0, double sd = 1)
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
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
        for (var p = NextDouble(); p > limit; p *= NextDouble()) k++;
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

    private ulong Next()
    {
        var result = BitRotate(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
