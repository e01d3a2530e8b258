using System.Text.Json;
using System.Text.Json.Serialization;
using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Api.Contracts;

/// <summary>
/// What a budget buys: a recommendation's request without its budget, and the range of total budgets to plan at, as changes on
/// today's total weekly spend. Every point is a full plan spending exactly its budget (budget_mode equal) under the same rules.
/// </summary>
/// <param name="From">First budget as a change on today's total (default −0.30: 30% less); at least −0.9.</param>
/// <param name="To">Last budget likewise (default +0.30); at most +2.</param>
/// <param name="Step">Change between points (default 0.05); at most 61 points.</param>
public sealed record BudgetCurveRequest(
    DateOnly? Week = null,
    IReadOnlyList<string>? Locks = null,
    Dictionary<string, SpendBounds>? Bounds = null,
    LimitScope LimitScope = LimitScope.PerChannel,
    Guid? FitId = null,
    Dictionary<string, JsonElement>? Parameters = null,
    int Seed = 1,
    Dictionary<string, double>? Current = null,
    UnreachableLimits UnreachableLimits = UnreachableLimits.Closest,
    double From = -0.30,
    double To = 0.30,
    double Step = 0.05)
{
    /// <summary>The recommendation request each point is planned from, its budget aside.</summary>
    public CreateRecommendationRequest AsRecommendation() =>
        new(Week, null, BudgetMode.Equal, 0, Locks, Bounds, LimitScope, FitId, Parameters, Seed, Current, UnreachableLimits);
}

/// <summary>One budget of the curve and the best plan at it.</summary>
/// <param name="Change">The budget as a change on today's total.</param>
/// <param name="Status">optimal or feasible (a plan), infeasible (no plan spends exactly this within the band and limits; see explanation).</param>
/// <param name="Value">The plan's objective value on the fitted curves (null: no plan).</param>
/// <param name="Gain">Its gain over today's spend; p10, p50 and p90 across draws of factors and curves.</param>
/// <param name="MarginalValue">Objective value per unit of budget from the previous point to this one (null: first point, or either has no plan).</param>
public sealed record BudgetCurvePointResponse(double Change, double Budget, string Status, double? Value, double? Gain,
    [property: JsonPropertyName("p10")] double? P10, [property: JsonPropertyName("p50")] double? P50, [property: JsonPropertyName("p90")] double? P90,
    double? ProbabilityPositive, double? MarginalValue, string? Explanation);

/// <summary>The best plan's value at each budget of a range.</summary>
/// <param name="CurrentBudget">Today's total weekly spend, the budget every change is measured from.</param>
/// <param name="CurrentValue">Today's plan's objective value.</param>
/// <param name="Seconds">Time to plan every point.</param>
public sealed record BudgetCurveResponse(DateOnly Week, string Currency, Guid? FitId, string Objective, double CurrentBudget, double CurrentValue,
    int Draws, double Seconds, IReadOnlyList<BudgetCurvePointResponse> Points, IReadOnlyList<string>? Warnings = null);
