using MathNet.Numerics;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

/// <summary>Expectations over the BG/NBD mixing distributions by nested double-exponential quadrature.</summary>
internal static class MixtureIntegrals
{
    /// <summary>∫∫ f(λ, p) Gamma(λ; r, rate α) Beta(p; a, b) dλ dp, with λ = u/(1−u) mapping (0, ∞) onto (0, 1).</summary>
    public static double OverLambdaAndP(Func<double, double, double> f, double r, double alpha, double a, double b)
    {
        var logGammaNorm = r * Math.Log(alpha) - SpecialFunctions.GammaLn(r);
        var logBetaNorm = -SpecialFunctions.BetaLn(a, b);
        return Integrate.DoubleExponential(p =>
        {
            var betaDensity = Math.Exp(logBetaNorm + (a - 1) * Math.Log(p) + (b - 1) * Math.Log(1 - p));
            var inner = Integrate.DoubleExponential(u =>
            {
                var lambda = u / (1 - u);
                var jacobian = 1 / ((1 - u) * (1 - u));
                var gammaDensity = Math.Exp(logGammaNorm + (r - 1) * Math.Log(lambda) - alpha * lambda);
                var value = f(lambda, p) * gammaDensity * jacobian;
                return double.IsFinite(value) ? value : 0;
            }, 0, 1, 1e-15);
            return inner * betaDensity;
        }, 0, 1, 1e-15);
    }
}
