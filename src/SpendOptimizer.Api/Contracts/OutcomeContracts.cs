using SpendOptimizer.Core.Outcomes;

namespace SpendOptimizer.Api.Contracts;

/// <summary>One channel (or the total) of a recommended week: what was predicted and what happened.</summary>
/// <param name="DaysWithData">Days of the week with performance data (a weekly row counts 7).</param>
/// <param name="SpendFollowed">Actual spend / recommended − 1: 0 when the plan was followed.</param>
/// <param name="PredictedConversions">Incremental conversions the plan predicted at the recommended spend.</param>
/// <param name="ExpectedConversions">What the same curve expects at the spend actually made, carry-over included: the fair yardstick.</param>
/// <param name="ReportedConversions">Conversions as reported in the performance data.</param>
/// <param name="ActualConversions">Reported × the incrementality factor the curve was fitted with.</param>
/// <param name="Error">Actual − expected conversions.</param>
/// <param name="PercentError">Error / actual.</param>
public sealed record OutcomeLine(
    string Channel, int DaysWithData, double RecommendedSpend, double? ActualSpend, double? SpendFollowed,
    double PredictedConversions, double? ExpectedConversions, double? ReportedConversions, double? ActualConversions, double Factor,
    double? Error, double? PercentError, double PredictedRevenue, double? ExpectedRevenue, double? ActualRevenue);

/// <summary>Prediction versus outcome of one recommendation.</summary>
/// <param name="Status">waiting (no data for the week yet), partial (some days) or complete (all seven days of every channel).</param>
public sealed record RecommendationOutcome(Guid RecommendationId, DateOnly Week, OutcomeStatus Status, IReadOnlyList<OutcomeLine> Lines, OutcomeLine Total);

public enum OutcomeStatus { Waiting, Partial, Complete }

/// <summary>One recommended week in the accuracy history (totals over channels).</summary>
public sealed record AccuracyWeek(Guid RecommendationId, DateOnly Week, OutcomeStatus Status, double RecommendedSpend, double? ActualSpend,
    double PredictedConversions, double? ExpectedConversions, double? ActualConversions, double? PercentError);

/// <summary>Accuracy of one channel over the complete weeks.</summary>
public sealed record ChannelAccuracy(string Channel, AccuracySummary Model);

/// <summary>How well predictions held over the weeks with complete data.</summary>
/// <param name="Model">Expected at the actual spend versus actual: how good the curves are.</param>
/// <param name="Plan">Predicted at the recommended spend versus actual: what a reader of the plan experienced.</param>
public sealed record AccuracyReport(AccuracySummary Model, AccuracySummary Plan, IReadOnlyList<ChannelAccuracy> Channels, IReadOnlyList<AccuracyWeek> Weeks);
