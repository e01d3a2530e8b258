using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Contracts;

/// <summary>Named variants of a week's plan, planned on one fit so their values compare.</summary>
/// <param name="Name">What the comparison is about (optional, at most 200 characters).</param>
/// <param name="Scenarios">1 to 10 variants, each with its own name (unique, case aside).</param>
/// <param name="FitId">Curves every variant is planned on (default: the newest fit; fitted now for this answer when there is none).</param>
public sealed record CreateScenariosRequest(string? Name = null, IReadOnlyList<ScenarioVariantRequest>? Scenarios = null, Guid? FitId = null);

/// <summary>One variant: a recommendation request (budget, budget_mode, locks, bounds, limit_scope, parameters such as band_max).</summary>
/// <param name="Name">Its name in the table (1 to 100 characters).</param>
/// <param name="Request">The body POST …/recommendations would take; its fit_id, if any, must be the comparison's.</param>
/// <param name="HorizonWeeks">Reserved for variants planned as a path of weeks; not accepted yet (POST …/plans plans a path).</param>
public sealed record ScenarioVariantRequest(string? Name = null, CreateRecommendationRequest? Request = null, int? HorizonWeeks = null);

/// <summary>One variant's row of the comparison, on the fitted (calibrated) curves.</summary>
/// <param name="Status">optimal or feasible (a plan), infeasible (no plan meets its rules; see explanation).</param>
/// <param name="Explanation">Why there is no plan, in words (null with a plan).</param>
/// <param name="Budget">The weekly budget asked for, or under budget_mode target the budget the target set (without one: today's total).</param>
/// <param name="Spend">Total recommended weekly spend.</param>
/// <param name="CurrentValue">Today's plan's objective value (the same spend the gain is measured from).</param>
/// <param name="Value">The plan's objective value.</param>
/// <param name="Gain">Value − current value; p10, p50 and p90 across draws of factors and curves, probability_positive the share of draws with a gain above 0.</param>
/// <param name="Cac">Blended CAC: spend per new customer.</param>
/// <param name="PaybackMonths">Blended CAC payback in months.</param>
/// <param name="ClvCac">Blended CLV:CAC.</param>
/// <param name="SpendByChannel">Recommended weekly spend per channel (null: no plan).</param>
public sealed record ScenarioResult(string Name, string Status, string? Explanation, DateOnly Week, string Objective, double? Budget, double? Spend,
    double CurrentValue, double? Value, double? Gain,
    [property: JsonPropertyName("p10")] double? P10, [property: JsonPropertyName("p50")] double? P50, [property: JsonPropertyName("p90")] double? P90,
    double? ProbabilityPositive, double? Cac, double? PaybackMonths, double? ClvCac, IReadOnlyDictionary<string, double>? SpendByChannel,
    IReadOnlyList<string> Warnings);

/// <summary>A stored comparison of variants.</summary>
/// <param name="Currency">ISO 4217 code of every amount of money in it.</param>
/// <param name="FitId">The fit every variant was planned on (null: fitted for this answer and not stored).</param>
/// <param name="Channels">The fitted channels, the columns of spend_by_channel.</param>
/// <param name="Seconds">Time to plan every variant.</param>
public sealed record ScenarioComparisonResponse(Guid Id, string? Name, DateTimeOffset CreatedAt, string Currency, Guid? FitId,
    IReadOnlyList<string> Channels, double Seconds, IReadOnlyList<ScenarioResult> Scenarios);
