namespace SpendOptimizer.Core.Inputs;

/// <summary>
/// Customer value inputs for one channel, or for every channel when <see cref="Channel"/> is
/// <see cref="AllChannels"/>. Retention is a monthly churn rate or a survival curve by month.
/// </summary>
/// <param name="ClvSource">
/// Fitted: the CLV is the channel's group in a customer-value fit (<paramref name="ClvFitId"/>, else the newest), which
/// the planner puts into <paramref name="ClvOverride"/> before planning.
/// </param>
public sealed record UnitEconomics(
    string Channel,
    double ArpaMonthly,
    double GrossMargin,
    double? MonthlyChurn,
    IReadOnlyList<double>? RetentionCurve,
    double AnnualDiscountRate,
    double? ClvOverride,
    ClvSource ClvSource = ClvSource.Typed,
    Guid? ClvFitId = null)
{
    public const string AllChannels = "all";
}

/// <summary>Where a channel's CLV comes from: the typed economics (churn, curve or override) or a customer-value fit.</summary>
public enum ClvSource { Typed, Fitted }
