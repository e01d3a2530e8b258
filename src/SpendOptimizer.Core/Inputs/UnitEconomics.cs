namespace SpendOptimizer.Core.Inputs;

/// <summary>
/// Customer value inputs for one channel, or for every channel when <see cref="Channel"/> is
/// <see cref="AllChannels"/>. Retention is a monthly churn rate or a survival curve by month.
/// </summary>
public sealed record UnitEconomics(
    string Channel,
    double ArpaMonthly,
    double GrossMargin,
    double? MonthlyChurn,
    IReadOnlyList<double>? RetentionCurve,
    double AnnualDiscountRate,
    double? ClvOverride)
{
    public const string AllChannels = "all";
}
