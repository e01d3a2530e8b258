using MathNet.Numerics.LinearAlgebra;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>
/// Draws of a fit's parameters from the normal approximation of its likelihood on the log scale:
/// log θ ~ N(log θ̂, H⁻¹), drawn as log θ̂ + L·z with L the Cholesky factor of H⁻¹, then exp.
/// </summary>
public static class ParameterDraws
{
    /// <summary>Each row holds one draw of the parameters on their natural scale, in the order of the fit's parameters.</summary>
    public static double[][] Draw(FitSummary fit, int count, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(random);
        if (count < 1) throw new ArgumentException("must be ≥ 1", nameof(count));
        if (!fit.HasCovariance)
            throw new ArgumentException("the fit has no finite covariance (its information matrix is singular), so it cannot be drawn from", nameof(fit));
        var k = fit.LogEstimate.Count;
        var factor = Matrix<double>.Build.DenseOfArray(fit.LogCovariance).Cholesky().Factor;
        var draws = new double[count][];
        var z = new double[k];
        for (var d = 0; d < count; d++)
        {
            for (var i = 0; i < k; i++) z[i] = random.Normal();
            var row = new double[k];
            for (var i = 0; i < k; i++)
            {
                var v = fit.LogEstimate[i];
                for (var j = 0; j <= i; j++) v += factor[i, j] * z[j];
                row[i] = Math.Exp(v);
            }
            draws[d] = row;
        }
        return draws;
    }
}
