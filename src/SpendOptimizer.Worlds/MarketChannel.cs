using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Worlds;

/// <summary>
/// One channel of a <see cref="MarketWorld"/> as it truly is: weekly incremental conversions y_t = curve(A_t) · season_t · noise,
/// adstock A_t = s_t + θ·A_{t−1}; reported conversions = y_t · <see cref="AttributionBias"/>.
/// </summary>
/// <param name="CurrentWeeklySpend">Today's plan for the channel.</param>
/// <param name="NoiseCv">Week-to-week noise on true conversions (coefficient of variation).</param>
/// <param name="TestBiasInSe">Null: never lift-tested. 0: its tests are unbiased noise. Otherwise every test of it is off
/// by this many of its standard errors (measured − true; negative: the test under-measured).</param>
/// <param name="MissingWeeks">Weeks the channel ran but has no performance row.</param>
/// <param name="PausedWeeks">Weeks the channel was paused (a row with spend 0).</param>
public sealed record MarketChannel(
    string Name,
    double CurrentWeeklySpend,
    ResponseCurve Curve,
    double Theta,
    double AttributionBias,
    double RevenuePerConversion,
    double NewCustomerShare,
    UnitEconomics Economics,
    double NoiseCv,
    double? TestBiasInSe,
    IReadOnlyList<DateOnly> MissingWeeks,
    IReadOnlyList<DateOnly> PausedWeeks)
{
    public ResponseShape Shape => Curve.Shape;
    public bool Tested => TestBiasInSe is not null;
    public double Clv => CustomerValue.Clv(Economics);

    /// <summary>True incremental conversions per week when spend s is sustained: g(s) = curve(s / (1 − θ)).</summary>
    public double SteadyState(double weeklySpend) => Curve.At(weeklySpend / (1 - Theta));

    /// <summary>True CAC at sustained spend s: s / (g(s) · new customers per conversion).</summary>
    public double Cac(double weeklySpend) => CustomerValue.Cac(weeklySpend, SteadyState(weeklySpend) * NewCustomerShare);

    public double ClvCac(double weeklySpend) => Clv / Cac(weeklySpend);

    public double PaybackMonths(double weeklySpend) => CustomerValue.PaybackMonths(Cac(weeklySpend), Economics);
}
