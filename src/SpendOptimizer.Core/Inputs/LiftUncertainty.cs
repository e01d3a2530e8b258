using MathNet.Numerics.Distributions;

namespace SpendOptimizer.Core.Inputs;

/// <summary>
/// A lift test's uncertainty as reported: a standard error, or a symmetric-normal confidence interval.
/// Either way it is turned into one standard error so tests can be precision-weighted.
/// </summary>
public sealed record LiftUncertainty(double? StandardError, double? CiLower, double? CiUpper, double CiLevel)
{
    public const double DefaultCiLevel = 0.90;

    /// <summary>se = (upper − lower) / (2·z), z the normal quantile of (1 + level)/2.</summary>
    public double EffectiveStandardError =>
        StandardError ?? (CiUpper!.Value - CiLower!.Value) / (2 * Normal.InvCDF(0, 1, (1 + CiLevel) / 2));

    public static LiftUncertainty FromStandardError(double se) => new(se, null, null, DefaultCiLevel);

    public static LiftUncertainty FromInterval(double lower, double upper, double level) => new(null, lower, upper, level);
}
