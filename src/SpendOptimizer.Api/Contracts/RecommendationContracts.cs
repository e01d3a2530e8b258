using System.Text.Json;
using System.Text.Json.Serialization;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Inputs;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Contracts;

/// <summary>Hard bounds on a channel's recommended weekly spend.</summary>
public sealed record SpendBounds(double? Min = null, double? Max = null);

/// <summary>What to plan for next week.</summary>
/// <param name="Week">First day of the week planned, on the workspace's week start (default: the coming week in the workspace's time
/// zone: the week starting today on its first day, else the next one).</param>
/// <param name="Budget">Weekly budget (default: today's total weekly spend).</param>
/// <param name="BudgetMode">equal (default), within (± budget_tolerance), cap (at most the budget) or target (as much as <paramref name="Target"/> allows).</param>
/// <param name="Locks">Channels whose spend must not change.</param>
/// <param name="Bounds">Hard bounds per channel.</param>
/// <param name="LimitScope">per_channel (default), blended, both or none: where the payback and CLV:CAC limits apply.</param>
/// <param name="FitId">Curves to use (default: the newest fit; fitted now when there is none).</param>
/// <param name="Parameters">Overrides of the band_mip model: band_min, band_max, max_payback_months, min_clv_cac, objective, draws.</param>
/// <param name="Seed">Seed of the uncertainty draws.</param>
/// <param name="Current">Today's weekly spend per channel, the plan every move is measured from: give every fitted channel (0 for one
/// that spends nothing now). Default: the last complete loaded week's spend.</param>
/// <param name="UnreachableLimits">closest (default): a channel that meets its payback or CLV:CAC limit at no allowed level is held at the
/// level closest to it and the rest is planned around it; refuse: the whole request is refused (422).</param>
/// <param name="Target">With budget_mode target: what sets the budget, one of a blended CLV:CAC floor, a blended payback ceiling or a floor on
/// the return of the last unit of budget.</param>
public sealed record CreateRecommendationRequest(
    DateOnly? Week = null,
    double? Budget = null,
    BudgetMode BudgetMode = BudgetMode.Equal,
    double BudgetTolerance = 0,
    IReadOnlyList<string>? Locks = null,
    Dictionary<string, SpendBounds>? Bounds = null,
    LimitScope LimitScope = LimitScope.PerChannel,
    Guid? FitId = null,
    Dictionary<string, JsonElement>? Parameters = null,
    int Seed = 1,
    Dictionary<string, double>? Current = null,
    UnreachableLimits UnreachableLimits = UnreachableLimits.Closest,
    BudgetTargetRequest? Target = null);

/// <summary>What sets the budget under budget_mode target: exactly one of the three.</summary>
/// <param name="ClvCacMin">The largest budget whose best plan keeps blended CLV:CAC at or above this.</param>
/// <param name="PaybackMaxMonths">The largest budget whose best plan keeps blended CAC payback at or under this many months.</param>
/// <param name="MarginalValueMin">Spend while a unit of budget returns at least this much objective value (for clv: CLV per unit of spend).</param>
public sealed record BudgetTargetRequest(double? ClvCacMin = null, double? PaybackMaxMonths = null, double? MarginalValueMin = null);

/// <summary>The budget a target set, and what stopped it there.</summary>
/// <param name="Target">clv_cac_min, payback_max_months or marginal_value_min.</param>
/// <param name="Value">The target as asked.</param>
/// <param name="Budget">The weekly budget found: the largest at which a plan meets the target (the plan in lines spends it).</param>
/// <param name="Binding">target, band_upper_edge (every channel at the most the band, its bounds and limits allow, target still met) or
/// band_lower_edge (every channel at the least, the marginal value still under the floor).</param>
/// <param name="LeastBudget">The least the channels may spend together within the band, bounds and per-channel limits.</param>
/// <param name="MostBudget">The most they may spend together.</param>
/// <param name="MarginalValue">Objective value per unit of the next step of budget, the target aside (null: no plan spends more).</param>
/// <param name="Step">That step: 1% of today's total weekly spend.</param>
/// <param name="ClvCac">The plan's blended CLV:CAC.</param>
/// <param name="PaybackMonths">The plan's blended CAC payback in months.</param>
public sealed record BudgetTargetSummary(string Target, double Value, double Budget, string Binding, string Explanation,
    double LeastBudget, double MostBudget, double? MarginalValue, double Step, double? ClvCac, double? PaybackMonths);

/// <summary>Where a line's current spend came from: the request's <c>current</c>, or the last complete loaded week.</summary>
public enum CurrentSource { Request, LastWeek }

/// <summary>A channel held at the allowed level closest to limits it meets at no allowed level.</summary>
/// <param name="Limits">The limits it breaks there (payback, clv_cac).</param>
/// <param name="PaybackMonths">Its payback at the level held, on the curve the limits are judged on.</param>
/// <param name="ClvCac">Its CLV:CAC there.</param>
/// <param name="SpendWhereMet">The weekly spend nearest that level at which both limits would hold (null: none).</param>
/// <param name="ClosestSpend">The allowed level closest to the limits; the plan holds the channel there unless the budget cannot be kept so.</param>
public sealed record UnreachableLimitSummary(IReadOnlyList<string> Limits, double? PaybackMonths, double? ClvCac, double? SpendWhereMet,
    double ClosestSpend)
{
    public static UnreachableLimitSummary? From(UnreachableLimit? u) =>
        u is null ? null : new(u.Limits, Finite(u.PaybackMonths), Finite(u.ClvCac), u.SpendWhereMet, u.Level);
}

/// <summary>One channel of a plan, on the fitted (calibrated) curves.</summary>
/// <param name="Change">Recommended / current − 1.</param>
/// <param name="MarginalReturn">Objective value of one more unit of weekly spend at the recommended level.</param>
/// <param name="Reason">What stopped the channel where it is: band_edge, payback, clv_cac, budget, lock, hard_bound or no_gain_worth_a_move.</param>
/// <param name="RiseWeight">Share of the predicted rise in response the plan counted on when choosing (1: all of it; caution_quantile).</param>
/// <param name="FallWeight">Multiple of the predicted fall the plan counted on when choosing (1: as predicted; above 1: feared more).</param>
/// <param name="TestValue">Expected gain per week, in objective units, from knowing this channel's true response before planning: what a
/// lift test there is worth in better plans (0: no doubt about it could change the plan; null: not valued, see test_value_lines).</param>
/// <param name="CurrentSource">request (from the request's current) or last_week (the last complete loaded week).</param>
/// <param name="PaybackProbability">Share of the draws in which the recommended spend meets the payback limit (null: no per-channel payback limit).</param>
/// <param name="ClvCacProbability">Share of the draws in which it meets the CLV:CAC limit (null: no per-channel CLV:CAC limit).</param>
/// <param name="Unreachable">Set when the channel meets its limits at no allowed level and is held at the closest one (reason limit_unreachable).</param>
/// <param name="Clv">CLV of a new customer of the channel as the plan took it (null: no unit economics).</param>
/// <param name="ClvSource">typed or fitted: where <paramref name="Clv"/> came from (the channel's economics row).</param>
/// <param name="TypedClv">What the typed economics gave (for a fitted row only when it states churn, a retention curve or a CLV).</param>
/// <param name="FittedClv">What the customer-value fit gave, whatever the source (null: no fit).</param>
/// <param name="MarginalCac">What one more new customer costs at the recommended spend: one over the slope of customers in spend (null: the
/// curve is flat there, no spend buys one more).</param>
public sealed record RecommendationLine(
    string Channel, double CurrentSpend, double RecommendedSpend, double Change,
    double CurrentConversions, double Conversions, double Customers, double Revenue,
    double? Cac, double? PaybackMonths, double? ClvCac, double MarginalReturn, StopReason Reason, string Explanation,
    double RiseWeight = 1, double FallWeight = 1, double? TestValue = null,
    CurrentSource CurrentSource = CurrentSource.LastWeek, double? PaybackProbability = null, double? ClvCacProbability = null,
    UnreachableLimitSummary? Unreachable = null, double? MarginalCac = null,
    double? Clv = null, ClvSource? ClvSource = null, double? TypedClv = null, double? FittedClv = null)
{
    /// <summary>
    /// The one place a line is built: each figure by its name, from the plan's line and what the planning added to it, so a
    /// figure added later is one more named argument here (stored and read back by name, see RecommendationStore).
    /// </summary>
    public static RecommendationLine From(LinePlan plan, LineExtras extras) => new(
        Channel: plan.Name,
        CurrentSpend: plan.Current,
        RecommendedSpend: plan.Recommended,
        Change: plan.ChangeShare,
        CurrentConversions: plan.CurrentConversions,
        Conversions: plan.Conversions,
        Customers: plan.Customers,
        Revenue: plan.Revenue,
        Cac: Finite(plan.Cac),
        PaybackMonths: Finite(plan.PaybackMonths),
        ClvCac: Finite(plan.ClvCac),
        MarginalReturn: plan.MarginalReturn,
        Reason: plan.Reason,
        Explanation: Reasons.Explain(plan.Reason),
        RiseWeight: extras.RiseWeight,
        FallWeight: extras.FallWeight,
        TestValue: extras.TestValue,
        CurrentSource: extras.CurrentSource,
        PaybackProbability: extras.PaybackProbability,
        ClvCacProbability: extras.ClvCacProbability,
        Unreachable: UnreachableLimitSummary.From(plan.Unreachable),
        MarginalCac: Finite(plan.MarginalCac),
        Clv: extras.Clv,
        ClvSource: extras.ClvSource,
        TypedClv: extras.TypedClv,
        FittedClv: extras.FittedClv);
}

/// <summary>What planning adds to a line of the allocation: its caution weights, the worth of testing it, where its current spend
/// came from, how sure its limits are and the CLV it took (see <see cref="RecommendationLine"/>).</summary>
public sealed record LineExtras(double RiseWeight, double FallWeight, double? TestValue, CurrentSource CurrentSource,
    double? PaybackProbability, double? ClvCacProbability, double? Clv = null, ClvSource? ClvSource = null, double? TypedClv = null,
    double? FittedClv = null);

/// <summary>The expected gain per week of the plan over keeping today's spend, in objective units (money in the workspace's currency
/// for clv, profit and revenue; conversions for conversions), across draws of factors and curves.</summary>
public sealed record GainSummary(double Expected,
    [property: JsonPropertyName("p10")] double? P10, [property: JsonPropertyName("p50")] double? P50, [property: JsonPropertyName("p90")] double? P90,
    double? ProbabilityPositive, int Draws);

/// <summary>How the solver did.</summary>
public sealed record SolverSummary(string Status, double RelativeGap, double Seconds, double ApproximationError);

/// <summary>A stored weekly recommendation.</summary>
/// <param name="Week">First day of the week planned.</param>
/// <param name="Currency">ISO 4217 code of every amount of money in it (spends, revenue, CAC, CLV): the workspace's currency.</param>
/// <param name="Warnings">What the plan could not do as asked, in words: data that ends long before the planned week, channels held at
/// the level closest to a limit they cannot meet, fitted channels with no data in the week taken as today's.</param>
/// <param name="BudgetTarget">Under budget_mode target: the budget the target set and what bound it (not kept with the stored plan; its request is).</param>
public sealed record RecommendationResponse(
    Guid Id, DateOnly Week, string Currency, DateTimeOffset CreatedAt, Guid? FitId, string Objective,
    double CurrentValue, double RecommendedValue, GainSummary Gain, SolverSummary Solver,
    IReadOnlyList<RecommendationLine> Lines, JsonElement Request, IReadOnlyList<string>? Warnings = null, BudgetTargetSummary? BudgetTarget = null);
