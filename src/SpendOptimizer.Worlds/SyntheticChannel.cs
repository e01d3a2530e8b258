namespace SpendOptimizer.Worlds;

/// <summary>
/// A channel whose truth is known: weekly incremental conversions y_t = β·Hill(A_t; κ, α) with adstock
/// A_t = s_t + θ·A_{t−1}. <see cref="AttributionBias"/> is how much platform-reported (attributed)
/// conversions overstate (&gt; 1) or understate (&lt; 1) the true incremental ones.
/// </summary>
public sealed record SyntheticChannel(
    string Name,
    double TypicalWeeklySpend,
    double Theta,
    double Alpha,
    double Kappa,
    double Beta,
    double AttributionBias,
    double RevenuePerConversion,
    double NewCustomerShare,
    double ArpaMonthly,
    double MonthlyChurn)
{
    public double Hill(double adstock) =>
        adstock <= 0 ? 0 : Beta / (1 + Math.Pow(Kappa / adstock, Alpha));

    /// <summary>True incremental conversions per week when spend s is sustained: g(s) = β·Hill(s / (1 − θ)).</summary>
    public double SteadyState(double weeklySpend) => Hill(weeklySpend / (1 - Theta));
}
