using MathNet.Numerics;
using MathNet.Numerics.Integration;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

/// <summary>Expectations over the BG/NBD mixing distributions by nested double-exponential quadrature.</summary>
internal static class MixtureIntegrals
{
    /// <summary>
    /// ∫∫ f(λ, p) Gamma(λ; r, rate α) Beta(p; a, b) dλ dp. The substitutions λ = c·(u/(1−u))^(1/r) and p = w^(1/a) absorb
    /// the densities' singularities at 0 (for r or a below 1) and map both ranges onto (0, 1); c is where the integrand's
    /// mass in λ lies. Single customers' likelihoods are tiny, so a coarse Gauss–Legendre pass finds the magnitude and the
    /// double-exponential pass asks for an error of 1e-9 of it.
    /// </summary>
    public static double OverLambdaAndP(Func<double, double, double> f, double r, double alpha, double a, double b, double lambdaScale)
    {
        var logGammaNorm = r * Math.Log(alpha) - SpecialFunctions.GammaLn(r);
        var logBetaNorm = -SpecialFunctions.BetaLn(a, b);

        // With λ = c·s^(1/r), s = u/(1−u): density·dλ = α^r c^r e^(−αλ) / Γ(r) · (1/r) · du/(1−u)².
        double Lambda(double u) => lambdaScale * Math.Pow(u / (1 - u), 1 / r);
        double LambdaWeight(double u, double lambda) =>
            Math.Exp(logGammaNorm + r * Math.Log(lambdaScale) - alpha * lambda) / r / ((1 - u) * (1 - u));
        // With p = w^(1/a): density·dp = (1−p)^(b−1) / (a·B(a, b)) dw.
        double P(double w) => Math.Pow(w, 1 / a);
        double PWeight(double p) => Math.Exp(logBetaNorm + (b - 1) * Math.Log(1 - p)) / a;

        double Integrand(double w, double u)
        {
            var p = P(w);
            var lambda = Lambda(u);
            var value = f(lambda, p) * LambdaWeight(u, lambda) * PWeight(p);
            return double.IsFinite(value) ? value : 0;
        }

        var magnitude = Math.Abs(GaussLegendreRule.Integrate(Integrand, 0, 1, 0, 1, 64));
        var tolerance = Math.Max(magnitude * 1e-9, 1e-300);
        return Integrate.DoubleExponential(w => Integrate.DoubleExponential(u => Integrand(w, u), 0, 1, tolerance), 0, 1, tolerance);
    }
}
