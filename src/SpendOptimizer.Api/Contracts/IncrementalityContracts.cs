using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Contracts;

/// <summary>A channel's incrementality factor: calibrated credit = attributed credit × mean.</summary>
/// <param name="TestsUsed">Ids of the lift tests that informed it, with their weight (share of the posterior precision).</param>
/// <param name="PriorOnly">No usable test: the factor is the prior (flat, or combined with journey attribution; see journey_prior).</param>
/// <param name="JourneyPrior">For a channel without tests: the factor the journey attribution run implies once scaled by the tested channels.</param>
/// <param name="EfficiencyPrior">For a channel without tests: the factor the tested channels' incremental value per spend implies for it.</param>
/// <param name="LogMean">Mean of ln(factor): the factor is log-normal, its median e^log_mean.</param>
/// <param name="LogSd">Sd of ln(factor).</param>
public sealed record ChannelFactorResponse(string Channel, double Mean, double Sd,
    [property: JsonPropertyName("lower_90")] double Lower90, [property: JsonPropertyName("upper_90")] double Upper90,
    bool PriorOnly, IReadOnlyList<TestUsed> TestsUsed, IReadOnlyList<string> Skipped, JourneyPriorResponse? JourneyPrior,
    double LogMean, double LogSd, EfficiencyPriorResponse? EfficiencyPrior = null);

/// <param name="Share">The channel's share of conversions in the journey attribution run.</param>
/// <param name="Mean">Factor implied by the journeys.</param>
/// <param name="Sd">Its sd, from how far the tested channels' incremental conversions per journey share spread.</param>
/// <param name="Channels">Tested channels the scale was learned from.</param>
public sealed record JourneyPriorResponse(double Share, double Mean, double Sd, int Channels);

/// <param name="AttributedValuePerSpend">The channel's value per unit of spend as attributed (CLV of the new customers its reported conversions bring / spend).</param>
/// <param name="Mean">Factor that would put its value per spend where the tested channels' incremental value per spend lies.</param>
/// <param name="Sd">Its sd, from how far the tested channels' incremental value per spend spreads.</param>
/// <param name="Channels">Tested channels it was learned from.</param>
public sealed record EfficiencyPriorResponse(double AttributedValuePerSpend, double Mean, double Sd, int Channels);

/// <param name="LogStandardError">Standard error of ln(factor), se / factor, after age and spend-distance inflation.</param>
/// <param name="BelowDetectionLimit">The test found no clear lift (factor below its standard error): it counts as ln(se) ± 1.</param>
public sealed record TestUsed(string Id, double Factor, double StandardError, double EffectiveStandardError, double AgeDays, double? SpendRatio, double Weight,
    double LogStandardError, bool BelowDetectionLimit);

/// <summary>The factors and the rule that weighed the tests.</summary>
/// <param name="JourneyRunId">The attribution run whose journey credit informed channels without tests (null: none did).</param>
public sealed record IncrementalityResponse(DateOnly AsOf, Guid? AttributionRunId, RuleResponse Rule, IReadOnlyList<ChannelFactorResponse> Channels,
    Guid? JourneyRunId);

/// <param name="AgeHalfLifeDays">A test's variance doubles every this many days of age.</param>
/// <param name="SpendDistanceScale">A test's variance grows by (ln(test weekly spend / current weekly spend) / scale)².</param>
/// <param name="UntestedPrior">flat or journeys: what channels without tests start from.</param>
public sealed record RuleResponse(double PriorMean, double PriorSd, double AgeHalfLifeDays, double SpendDistanceScale, string Description,
    Core.Incrementality.UntestedPrior UntestedPrior);
