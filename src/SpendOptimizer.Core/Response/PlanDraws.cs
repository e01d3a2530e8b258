using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Response;

/// <summary>What is believed of one channel's response: its fitted curve, the curve parameters' covariance and its incrementality factor.</summary>
/// <param name="FactorMean">The factor the curve was fitted with (0: none, the draws keep the curve's level).</param>
public sealed record CurveBelief(HillAdstock Curve, double[] Covariance, double FactorMean, double FactorSd);

/// <summary>Joint draws of every channel's response for measuring a plan across what is not known.</summary>
public static class PlanDraws
{
    /// <summary>
    /// Per draw, each channel's curve from its parameter posterior, scaled by a draw of its incrementality factor over
    /// the factor the curve was fitted with (the curve is linear in the factor).
    /// </summary>
    public static List<Func<double, double>[]> Draw(IReadOnlyList<CurveBelief> curves, int count, int seed) =>
        Scaled(curves, count, seed).Select(d => d.Select(x => (Func<double, double>)(s => x.Scale * x.Curve.SteadyState(s))).ToArray()).ToList();

    /// <summary>The same draws as whole curves (the factor's draw in β), for what needs the adstock, such as a path over weeks.</summary>
    public static List<HillAdstock[]> DrawCurves(IReadOnlyList<CurveBelief> curves, int count, int seed) =>
        Scaled(curves, count, seed).Select(d => d.Select(x => x.Curve with { Beta = x.Scale * x.Curve.Beta }).ToArray()).ToList();

    private static List<(HillAdstock Curve, double Scale)[]> Scaled(IReadOnlyList<CurveBelief> curves, int count, int seed)
    {
        var curveDraws = curves.Select((c, i) => CurvePosterior.Draw(c.Curve, c.Covariance, count, seed * 7919 + i)).ToList();
        var rng = new SeededRandom(seed);
        var draws = new List<(HillAdstock, double)[]>(count);
        for (var k = 0; k < count; k++)
            // Factors are log-normal (see LiftCalibration): the draw with the stored mean and sd, over the mean the curve was fitted with.
            draws.Add(curves.Select((c, i) => (curveDraws[i][k], c.FactorMean > 0 ? rng.LogNormalFactor(c.FactorSd / c.FactorMean) : 1)).ToArray());
        return draws;
    }
}
