using System.Text.Json;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Planning;

namespace SpendOptimizer.Api.Contracts;

/// <summary>A week-by-week budget path: the recommendation's request, over <paramref name="HorizonWeeks"/> weeks.</summary>
/// <param name="HorizonWeeks">Weeks planned, 1–26.</param>
/// <param name="Week">First week planned (default: the coming week, as for a recommendation).</param>
/// <param name="Budget">Budget of every week (default: today's total weekly spend); budget_mode and budget_tolerance apply to each week.</param>
/// <param name="WeeklyBudgets">One budget per week instead (horizon_weeks of them); budget_mode applies to each.</param>
/// <param name="TotalBudget">A budget over the whole horizon instead; budget_mode applies to the total, weekly_min and weekly_max pace the weeks.</param>
/// <param name="WeeklyMin">With total_budget: the least total spend of any week.</param>
/// <param name="WeeklyMax">With total_budget: the most total spend of any week.</param>
/// <param name="BlendedOver">week (default) or horizon: whether blended limits hold every week or for the horizon's totals.</param>
/// <param name="Locks">Channels whose spend stays today's every week.</param>
/// <param name="Bounds">Hard bounds on each week's spend per channel.</param>
/// <param name="LimitScope">per_channel (default), blended, both or none: where payback and CLV:CAC limits apply (per channel: every week).</param>
/// <param name="Parameters">Overrides of the band_mip model: band_min, band_max, max_payback_months, min_clv_cac, objective.</param>
/// <param name="Current">Today's weekly spend per channel, the first week's moves are measured from (default: the last complete loaded week).</param>
/// <param name="Seed">Seed of the draws the totals' p10/p50/p90 come from.</param>
/// <param name="UnreachableLimits">closest (default): a channel that meets its per-channel limits at no move in a week is held that week at the
/// level closest to them; refuse: a channel that meets them at no move in the first week refuses the whole path (422 naming it).</param>
public sealed record CreatePlanRequest(
    int? HorizonWeeks = null,
    DateOnly? Week = null,
    double? Budget = null,
    IReadOnlyList<double>? WeeklyBudgets = null,
    double? TotalBudget = null,
    double? WeeklyMin = null,
    double? WeeklyMax = null,
    BudgetMode BudgetMode = BudgetMode.Equal,
    double BudgetTolerance = 0,
    BlendedOver BlendedOver = BlendedOver.Week,
    IReadOnlyList<string>? Locks = null,
    Dictionary<string, SpendBounds>? Bounds = null,
    LimitScope LimitScope = LimitScope.PerChannel,
    Guid? FitId = null,
    Dictionary<string, JsonElement>? Parameters = null,
    Dictionary<string, double>? Current = null,
    UnreachableLimits UnreachableLimits = UnreachableLimits.Closest,
    int Seed = 1)
{
    /// <summary>The checks this request shares with a recommendation's: budget, band, week, bounds, current, channels.</summary>
    public CreateRecommendationRequest AsRecommendation() =>
        new(Week, Budget, BudgetMode, BudgetTolerance, Locks, Bounds, LimitScope, FitId, Parameters, Current: Current, UnreachableLimits: UnreachableLimits);
}

/// <summary>One channel in one week of the path, on the fitted curves at the week's adstock.</summary>
/// <param name="Change">Spend / the previous week's spend − 1.</param>
/// <param name="Adstock">The week's adstocked spend: its spend plus θ × the previous week's adstock.</param>
/// <param name="Conversions">Expected incremental conversions that week (including what earlier weeks carry into it).</param>
/// <param name="Value">The week's part in the objective, in objective units (money, or conversions for objective conversions).</param>
/// <param name="Reason">What held the channel where it is that week: band_edge, payback, clv_cac, budget, lock, hard_bound, no_gain_worth_a_move,
/// limit_unreachable or zero_today.</param>
/// <param name="Unreachable">Set when the channel meets its per-channel limits at no move that week and is held at the closest level.</param>
public sealed record PlanCell(DateOnly Week, double Spend, double PreviousSpend, double Change, double Adstock, double Conversions, double Customers,
    double Revenue, double Value, double? Cac, double? PaybackMonths, double? ClvCac, StopReason Reason, string Explanation,
    UnreachableLimitSummary? Unreachable = null);

/// <summary>One channel's row of the path.</summary>
/// <param name="CurrentSpend">Today's weekly spend.</param>
/// <param name="StartAdstock">The adstock it enters the first week with, from its loaded spend history.</param>
/// <param name="Theta">Its carry-over θ: the share of a week's adstock still working the next week.</param>
/// <param name="CarryOverConversions">Conversions still to come after the horizon from the adstock left at its end: θ/(1−θ) × the last week's.</param>
/// <param name="CarryOverValue">Their worth in objective units.</param>
public sealed record PlanChannel(string Channel, double CurrentSpend, double StartAdstock, double Theta, IReadOnlyList<PlanCell> Weeks,
    double CarryOverConversions, double CarryOverValue);

/// <summary>All channels in one week.</summary>
public sealed record PlanWeek(DateOnly Week, double Spend, double Conversions, double Customers, double Revenue, double Value, double? Cac);

/// <summary>The horizon's totals.</summary>
/// <param name="Value">The path's objective: every week's value plus the carry-over past the horizon.</param>
/// <param name="CurrentValue">The same for keeping today's spend every week.</param>
/// <param name="Gain">value − current_value.</param>
/// <param name="ValueP10">The path's value at the 10% point over draws of the factors and curve parameters (parameters.draws of them; CLV
/// taken as known), and so on for the median and 90%.</param>
/// <param name="GainP10">Its gain over keeping today's spend every week, per draw, at the 10% point; likewise 50% and 90%.</param>
/// <param name="GainProbabilityPositive">Share of the draws in which the path beats keeping today's spend.</param>
public sealed record PlanTotals(double Spend, double Conversions, double Customers, double Revenue, double? Cac, double CarryOverConversions,
    double Value, double CurrentValue, double Gain, double? ValueP10 = null, double? ValueP50 = null, double? ValueP90 = null,
    double? GainP10 = null, double? GainP50 = null, double? GainP90 = null, double? GainProbabilityPositive = null, int Draws = 0);

/// <summary>How the path MIP did.</summary>
/// <param name="RelativeGap">|best bound − objective| / |objective| of the MIP: how far from proven optimal (0: proven).</param>
/// <param name="ApproximationError">|the MIP's objective − the path's value on the true curves|: what the chords of the curves cost.</param>
/// <param name="Binaries">Binary variables branched on.</param>
public sealed record PlanSolver(string Status, double RelativeGap, double Seconds, double ApproximationError, int Binaries, int Constraints);

/// <summary>A week-by-week budget path, stored as answered: GET …/plans/{id} and …/plans/latest give it again.</summary>
/// <param name="Id">UUIDv7 of the stored path.</param>
/// <param name="Currency">ISO 4217 code of every amount of money in it.</param>
/// <param name="Warnings">What the path had to assume: channels without spend history (started at their steady state), weeks between the data and the first planned week (filled with today's spend).</param>
public sealed record PlanResponse(Guid Id, DateOnly Week, int HorizonWeeks, string Currency, DateTimeOffset CreatedAt, Guid FitId, string Objective,
    PlanTotals Totals, IReadOnlyList<PlanWeek> Weeks, IReadOnlyList<PlanChannel> Channels, PlanSolver Solver, IReadOnlyList<string> Warnings);
