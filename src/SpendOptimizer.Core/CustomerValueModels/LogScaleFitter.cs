using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>Returns the log-likelihood at natural-scale parameters and writes its gradient with respect to them.</summary>
internal delegate double LogLikelihoodWithGradient(double[] natural, double[] gradient);

/// <summary>
/// Maximum likelihood on log-parameters (so every parameter stays positive without constraints) by MathNet's BFGS with
/// an analytic gradient, falling back to Nelder–Mead when BFGS's line search gives up. The objective is the negative
/// log-likelihood per unit of customer weight, which keeps the tolerances meaningful for any base size. Standard errors
/// come from the observed information: central differences of the analytic gradient on the log scale, inverted.
/// </summary>
internal static class LogScaleFitter
{
    private const double Z90 = 1.6448536269514722;
    private const double HessianStep = 1e-4;
    private const double Huge = 1e300;

    public static FitSummary Fit(string[] names, LogLikelihoodWithGradient logLikelihood, double[] startNatural, double weight, LogPrior? prior)
    {
        var k = names.Length;
        var natural = new double[k];
        var gradient = new double[k];

        double Objective(Vector<double> theta, double[]? gradOut)
        {
            for (var i = 0; i < k; i++) natural[i] = Math.Exp(theta[i]);
            var ll = logLikelihood(natural, gradient);
            var value = -ll;
            for (var i = 0; i < k; i++)
            {
                var g = -gradient[i] * natural[i];
                if (prior is not null)
                {
                    var d = theta[i] - prior.Mean[i];
                    value += d * d / (2 * prior.Scale * prior.Scale);
                    g += d / (prior.Scale * prior.Scale);
                }
                if (gradOut is not null) gradOut[i] = g / weight;
            }
            return double.IsFinite(value) ? value / weight : Huge;
        }

        Vector<double> Gradient(Vector<double> theta)
        {
            var g = new double[k];
            Objective(theta, g);
            return Vector<double>.Build.Dense(g);
        }

        var start = Vector<double>.Build.Dense(startNatural.Select(v => Math.Log(v)).ToArray());
        var (best, iterations) = Minimise(start, Objective, Gradient);

        var h = Matrix<double>.Build.Dense(k, k);
        for (var j = 0; j < k; j++)
        {
            var up = best.Clone();
            var down = best.Clone();
            up[j] += HessianStep;
            down[j] -= HessianStep;
            var gu = Gradient(up);
            var gd = Gradient(down);
            for (var i = 0; i < k; i++) h[i, j] = (gu[i] - gd[i]) / (2 * HessianStep) * weight;
        }
        h = (h + h.Transpose()) / 2;

        var covariance = new double[k, k];
        var pd = h.Enumerate().All(double.IsFinite) && IsPositiveDefinite(h);
        var inverse = pd ? h.Inverse() : null;
        for (var i = 0; i < k; i++)
        for (var j = 0; j < k; j++)
            covariance[i, j] = inverse?[i, j] ?? double.NaN;

        var estimates = new ParameterEstimate[k];
        for (var i = 0; i < k; i++)
        {
            var seLog = inverse is null ? double.NaN : Math.Sqrt(inverse[i, i]);
            var value = Math.Exp(best[i]);
            estimates[i] = new ParameterEstimate(names[i], value, value * seLog,
                Math.Exp(best[i] - Z90 * seLog), Math.Exp(best[i] + Z90 * seLog));
        }

        for (var i = 0; i < k; i++) natural[i] = Math.Exp(best[i]);
        var finalLl = logLikelihood(natural, gradient);

        var pooledWeight = 0.0;
        if (prior is not null)
        {
            var priorPrecision = 1 / (prior.Scale * prior.Scale);
            for (var i = 0; i < k; i++) pooledWeight += Math.Clamp(priorPrecision / h[i, i], 0, 1) / k;
        }

        return new FitSummary(estimates, finalLl, weight, pooledWeight, iterations, [.. best], covariance);
    }

    private static (Vector<double> Point, int Iterations) Minimise(Vector<double> start,
        Func<Vector<double>, double[]?, double> objective, Func<Vector<double>, Vector<double>> gradient)
    {
        var function = ObjectiveFunction.Gradient(theta => objective(theta, null), gradient);
        var bfgs = new BfgsMinimizer(1e-9, 1e-12, 1e-15, 1000);
        try
        {
            var result = bfgs.FindMinimum(function, start);
            return (result.MinimizingPoint, result.Iterations);
        }
        catch (Exception e) when (e is OptimizationException or ArgumentException or InvalidOperationException)
        {
            // BFGS stops when its line search fails far from the optimum (a wild first step); the simplex gets close
            // without derivatives and BFGS then finishes from there.
            var simplex = new NelderMeadSimplex(1e-12, 20_000);
            var rough = simplex.FindMinimum(ObjectiveFunction.Value(theta => objective(theta, null)), start);
            try
            {
                var result = bfgs.FindMinimum(function, rough.MinimizingPoint);
                return (result.MinimizingPoint, rough.Iterations + result.Iterations);
            }
            catch (Exception e2) when (e2 is OptimizationException or ArgumentException or InvalidOperationException)
            {
                return (rough.MinimizingPoint, rough.Iterations);
            }
        }
    }

    private static bool IsPositiveDefinite(Matrix<double> m)
    {
        try
        {
            _ = m.Cholesky();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
