using MathNet.Numerics;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>The distribution of the number of repeat transactions a new BG/NBD customer makes in (0, t].</summary>
public static class BgNbdFrequency
{
    /// <summary>
    /// P(X(t) = x) (Fader, Hardie &amp; Lee 2005, eq. 8):
    /// B(a, b+x)/B(a, b) · Γ(r+x)/(Γ(r) x!) · (α/(α+t))^r · (t/(α+t))^x
    /// + δ_{x&gt;0} · B(a+1, b+x−1)/B(a, b) · [1 − (α/(α+t))^r · Σ_{j=0..x−1} Γ(r+j)/(Γ(r) j!) · (t/(α+t))^j].
    /// </summary>
    public static double Probability(int x, double t, BgNbdParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (x < 0) throw new ArgumentException("must be ≥ 0", nameof(x));
        if (!(t > 0) || double.IsInfinity(t)) throw new ArgumentException("must be a finite number > 0", nameof(t));
        parameters.Check();
        var (r, alpha, a, b) = parameters;
        var lnBeta = SpecialFunctions.BetaLn(a, b);
        var lnStay = r * Math.Log(alpha / (alpha + t));
        var lnShare = Math.Log(t / (alpha + t));
        // ln of the negative-binomial term NB(j) = Γ(r+j)/(Γ(r) j!) · (α/(α+t))^r · (t/(α+t))^j.
        double LnNb(int j) => SpecialFunctions.GammaLn(r + j) - SpecialFunctions.GammaLn(r) - SpecialFunctions.FactorialLn(j) + lnStay + j * lnShare;
        var alive = Math.Exp(SpecialFunctions.BetaLn(a, b + x) - lnBeta + LnNb(x));
        if (x == 0) return alive;
        var below = 0.0;
        for (var j = 0; j < x; j++) below += Math.Exp(LnNb(j));
        var dropped = Math.Exp(SpecialFunctions.BetaLn(a + 1, b + x - 1) - lnBeta) * Math.Max(0, 1 - below);
        return alive + dropped;
    }

    /// <summary>P(X(t) ≥ x) = 1 − Σ_{k&lt;x} P(X(t) = k), floored at 0 against rounding.</summary>
    public static double AtLeast(int x, double t, BgNbdParameters parameters)
    {
        var below = 0.0;
        for (var k = 0; k < x; k++) below += Probability(k, t, parameters);
        return Math.Max(0, 1 - below);
    }
}
