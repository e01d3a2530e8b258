using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Outcomes;

/// <summary>
/// One channel's planned week next to what happened. The plan predicted <see cref="PredictedConversions"/> at the
/// recommended spend; the curve, given the spend actually made (carry-over included), expected
/// <see cref="ExpectedConversions"/>; the reported conversions become incremental by the same factor the curve was
/// fitted with, so prediction and outcome are on one scale.
/// </summary>
public sealed record ChannelOutcome(string Channel, double RecommendedSpend, double ActualSpend, double PredictedConversions,
    double ExpectedConversions, double ReportedConversions, double Factor)
{
    public double ActualConversions => ReportedConversions * Factor;

    /// <summary>Actual − expected at the actual spend: the model's miss, apart from how closely the plan was followed.</summary>
    public double Error => ActualConversions - ExpectedConversions;

    public double? PercentError => ForecastAccuracy.Relative(Error, ActualConversions);

    /// <summary>Actual spend over recommended − 1: 0 when the plan was followed exactly.</summary>
    public double? SpendFollowed => RecommendedSpend > 0 ? ActualSpend / RecommendedSpend - 1 : null;

    /// <summary>The curve's response in the last week of <paramref name="weeklySpend"/>, adstock carried through the weeks before.</summary>
    public static double Expected(HillAdstock curve, IReadOnlyList<double> weeklySpend) =>
        weeklySpend.Count == 0 ? 0 : curve.Predict(weeklySpend)[^1];
}
