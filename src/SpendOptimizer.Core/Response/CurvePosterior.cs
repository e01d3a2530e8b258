using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Response;

/// <summary>
/// Draws curves from the normal approximation of the posterior of (θ, α, ln κ, ln β) at a fitted curve, θ and α
/// kept within their bounds. Seeded: the same seed gives the same draws.
/// </summary>
public static class CurvePosterior
{
    public static IReadOnlyList<HillAdstock> Draw(HillAdstock curve, double[] covariance, int count, int seed, CurvePriors? priors = null)
    {
        var p = priors ?? new CurvePriors();
        var cov = Matrix<double>.Build.DenseOfColumnMajor(4, 4, covariance);
        var chol = Factor(cov);
        var rng = new SeededRandom(seed);
        var mean = new[] { curve.Theta, curve.Alpha, Math.Log(curve.Kappa), Math.Log(curve.Beta) };
        var draws = new List<HillAdstock>(count);
        for (var i = 0; i < count; i++)
        {
            var x = chol * Vector<double>.Build.Dense(4, _ => rng.Normal());
            draws.Add(new HillAdstock(
                Math.Clamp(mean[0] + x[0], p.ThetaMin, p.ThetaMax),
                Math.Clamp(mean[1] + x[1], p.AlphaMin, p.AlphaMax),
                Math.Exp(mean[2] + x[2]),
                Math.Exp(mean[3] + x[3])));
        }
        return draws;
    }

    /// <summary>
    /// A factor L with L Lᵀ = cov. A covariance that round-off left not quite positive definite (curves fitted to
    /// values near the upload limits) is replaced by its nearest positive semi-definite matrix, negative eigenvalues
    /// set to 0; one with non-finite entries carries no usable spread, so its draws are the fitted curve itself.
    /// </summary>
    public static Matrix<double> Factor(Matrix<double> cov)
    {
        if (cov.Enumerate().Any(v => !double.IsFinite(v))) return Matrix<double>.Build.Dense(cov.RowCount, cov.ColumnCount);
        try
        {
            return cov.Cholesky().Factor;
        }
        catch (ArgumentException)
        {
            var evd = ((cov + cov.Transpose()) / 2).Evd(Symmetricity.Symmetric);
            var root = Matrix<double>.Build.DenseOfDiagonalArray(evd.EigenValues.Select(e => Math.Sqrt(Math.Max(0, e.Real))).ToArray());
            var factor = evd.EigenVectors * root;
            return factor.Enumerate().All(double.IsFinite) ? factor : Matrix<double>.Build.Dense(cov.RowCount, cov.ColumnCount);
        }
    }
}
