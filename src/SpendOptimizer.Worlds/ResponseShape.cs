namespace SpendOptimizer.Worlds;

/// <summary>The family a true response curve belongs to.</summary>
public enum ResponseShape
{
    /// <summary>β·ln(1 + A/κ): never saturates, diminishing returns all the way.</summary>
    Logarithmic,

    /// <summary>β·(1 − e^(−A/κ)): saturates at β.</summary>
    ExponentialSaturation,

    /// <summary>β·A up to the knee k, then β·k + β·κ·(1 − e^(−(A − k)/κ)): linear, then saturating, continuous in value and slope.</summary>
    LinearKnee,

    /// <summary>β / (1 + (κ/A)^α), α ≥ 1: S-shaped.</summary>
    Hill,
}

/// <summary>A weekly response curve in adstock A: incremental conversions in an average-demand week.</summary>
/// <param name="Knee">Where a <see cref="ResponseShape.LinearKnee"/> curve stops being linear (unused otherwise).</param>
/// <param name="Alpha">A <see cref="ResponseShape.Hill"/> curve's shape (unused otherwise).</param>
public sealed record ResponseCurve(ResponseShape Shape, double Beta, double Kappa, double Knee = 0, double Alpha = 1)
{
    public double At(double adstock)
    {
        if (adstock <= 0) return 0;
        return Shape switch
        {
            ResponseShape.Logarithmic => Beta * double.LogP1(adstock / Kappa),
            ResponseShape.ExponentialSaturation => Beta * -double.ExpM1(-adstock / Kappa),
            ResponseShape.LinearKnee => adstock <= Knee ? Beta * adstock : Beta * (Knee - Kappa * double.ExpM1(-(adstock - Knee) / Kappa)),
            _ => Beta / (1 + Math.Pow(Kappa / adstock, Alpha)),
        };
    }

    /// <summary>The same curve scaled so that it passes through <paramref name="value"/> at <paramref name="adstock"/>.</summary>
    public ResponseCurve Through(double adstock, double value) => this with { Beta = Beta * value / At(adstock) };
}
