using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// CLV doubt beside the curves' doubt: per plan draw, each line's CLV drawn again from its own stored draws (a fitted
/// CLV) or kept (a typed one). Its stream is apart from the curves', so the two doubts are independent and one seed
/// reproduces both.
/// </summary>
public static class ClvDraws
{
    private const ulong Stream = 0xC1A5_D0B7_0000_0000UL;

    /// <summary>
    /// Per draw, one CLV per line (the lines' order): a uniform pick of the line's stored draws, or the line's CLV
    /// where it has none. Null when no line has draws, so the plan is measured exactly as on typed CLV.
    /// </summary>
    /// <param name="stored">Per line, the CLV draws of its fit (null or empty: the CLV is known).</param>
    public static double[][]? Draw(IReadOnlyList<AllocationLine> lines, IReadOnlyList<IReadOnlyList<double>?> stored, int count, int seed)
    {
        if (stored.Count != lines.Count) throw new ArgumentException("one entry of draws per line", nameof(stored));
        if (stored.All(s => s is null || s.Count == 0)) return null;
        var random = new SeededRandom(seed, Stream);
        var draws = new double[count][];
        for (var k = 0; k < count; k++)
        {
            var row = new double[lines.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = stored[i] is { Count: > 0 } s ? s[random.Integer(0, s.Count)] : lines[i].Clv;
            draws[k] = row;
        }
        return draws;
    }

    /// <summary>The line as draw <paramref name="k"/> sees it: that draw's curve, and its CLV when CLV is drawn.</summary>
    public static AllocationLine Drawn(AllocationLine line, Func<double, double> curve, double[][]? clv, int k, int i) =>
        clv is null ? line with { Response = curve } : line with { Response = curve, Clv = clv[k][i] };
}
