using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Contracts;

/// <summary>A channel's incrementality factor: calibrated credit = attributed credit × mean.</summary>
/// <param name="TestsUsed">Ids of the lift tests that informed it, with their weight (share of the posterior precision).</param>
/// <param name="PriorOnly">No usable test: the factor is the prior.</param>
public sealed record ChannelFactorResponse(string Channel, double Mean, double Sd,
    [property: JsonPropertyName("lower_90")] double Lower90, [property: JsonPropertyName("upper_90")] double Upper90,
    bool PriorOnly, IReadOnlyList<TestUsed> TestsUsed, IReadOnlyList<string> Skipped);

public sealed record TestUsed(string Id, double Factor, double StandardError, double EffectiveStandardError, double AgeDays, double? SpendRatio, double Weight);

/// <summary>The factors and the rule that weighed the tests.</summary>
public sealed record IncrementalityResponse(DateOnly AsOf, Guid? AttributionRunId, RuleResponse Rule, IReadOnlyList<ChannelFactorResponse> Channels);

/// <param name="AgeHalfLifeDays">A test's variance doubles every this many days of age.</param>
/// <param name="SpendDistanceScale">A test's variance grows by (ln(test weekly spend / current weekly spend) / scale)².</param>
public sealed record RuleResponse(double PriorMean, double PriorSd, double AgeHalfLifeDays, double SpendDistanceScale, string Description);
