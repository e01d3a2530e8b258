using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Planning;

/// <summary>A line's carry-over: its curve over adstock and the adstock it enters the first planned week with.</summary>
/// <param name="StartAdstock">A₀, the adstock of the week before the first planned one (from the loaded spend history).</param>
public sealed record PathCurve(HillAdstock Curve, double StartAdstock)
{
    /// <summary>Weekly response to adstock A: β·Hill(A).</summary>
    public double Response(double adstock) => Curve.Beta * Curve.Hill(adstock);

    /// <summary>Weight of the last week's response: 1 for itself plus θ + θ² + … for the adstock it leaves behind.</summary>
    public double LastWeekWeight => 1 / (1 - Curve.Theta);
}

/// <summary>Whether blended limits hold week by week or for the horizon's totals.</summary>
public enum BlendedOver { Week, Horizon }

/// <summary>
/// A week-by-week budget path over <paramref name="HorizonWeeks"/> weeks. <paramref name="Rules"/> holds the lines (today's spend,
/// economics, locks, bounds), the band, the limits, the objective and the budget mode; its budget is the weekly budget unless
/// <paramref name="WeeklyBudgets"/> (one per week) or <paramref name="TotalBudget"/> (over the horizon, mode applied to the total,
/// each week within [<paramref name="WeeklyMin"/>, <paramref name="WeeklyMax"/>]) is given.
/// Each week each line keeps the previous week's spend or moves it by a share in [band_min, band_max] down or up
/// (<paramref name="MoveShares"/>: only those shares, a grid; null: any share in the band). Adstock A_t = s_t + θ·A_{t−1};
/// week t's response is β·Hill(A_t). The MIP stops at <paramref name="RelativeGap"/> from proven optimal (or the time limit) and says how far it got. The last week's response counts 1/(1−θ) times: what the adstock left at the end
/// still brings, first order — its geometric decay θ, θ², … valued at the last week's response per unit of adstock.
/// </summary>
public sealed record PathProblem(
    AllocationProblem Rules,
    IReadOnlyList<PathCurve> Curves,
    int HorizonWeeks,
    IReadOnlyList<double>? WeeklyBudgets = null,
    double? TotalBudget = null,
    double? WeeklyMin = null,
    double? WeeklyMax = null,
    BlendedOver BlendedOver = BlendedOver.Week,
    IReadOnlyList<double>? MoveShares = null,
    double RelativeGap = 1e-4)
{
    public const int MaxHorizonWeeks = 26;

    public IReadOnlyList<AllocationLine> Lines => Rules.Lines;

    /// <summary>The range week t's total spend must fall in (t from 0).</summary>
    public (double Low, double High) WeekRange(int t)
    {
        if (TotalBudget is not null) return (WeeklyMin ?? 0, WeeklyMax ?? double.PositiveInfinity);
        return (Rules with { Budget = WeeklyBudgets?[t] ?? Rules.Budget }).BudgetRange;
    }

    /// <summary>The range the horizon's total spend must fall in, when the budget is a total.</summary>
    public (double Low, double High)? TotalRange => TotalBudget is { } total ? (Rules with { Budget = total }).BudgetRange : null;

    /// <summary>
    /// The factors a week's spend may be multiplied by, as closed intervals [low, high]: keep (1), then down and up by the band
    /// (or by each share of the grid, as points).
    /// </summary>
    public IReadOnlyList<(double Low, double High)> Moves()
    {
        var moves = new List<(double, double)> { (1, 1) };
        if (MoveShares is { } shares)
            foreach (var share in shares.Where(x => x > 0).Distinct()) moves.AddRange([(1 - share, 1 - share), (1 + share, 1 + share)]);
        else if (Rules.BandMax > 0)
            moves.AddRange([(1 - Rules.BandMax, 1 - Rules.BandMin), (1 + Rules.BandMin, 1 + Rules.BandMax)]);
        return moves;
    }

    /// <summary>The largest share a week may move by.</summary>
    public double LargestShare => MoveShares is { Count: > 0 } s ? s.Max() : Rules.BandMax;

    /// <summary>Why the path cannot be posed, or null.</summary>
    public string? Validate()
    {
        if (Rules.Validate() is { } invalid) return invalid;
        if (HorizonWeeks is < 1 or > MaxHorizonWeeks) return $"horizon_weeks must be between 1 and {MaxHorizonWeeks}";
        if (Curves.Count != Lines.Count) return "every line needs its curve";
        foreach (var (l, c) in Lines.Zip(Curves))
            if (!(c.Curve.Theta is >= 0 and < 1) || !(c.StartAdstock >= 0)) return $"line '{l.Name}': carry-over needs 0 ≤ θ < 1 and a start adstock ≥ 0";
        if (WeeklyBudgets is { } weekly && (weekly.Count != HorizonWeeks || weekly.Any(b => !(b >= 0))))
            return "weekly budgets need one budget of 0 or more per week";
        if (WeeklyBudgets is not null && TotalBudget is not null) return "give weekly budgets or a total budget, not both";
        if (TotalBudget is < 0 || WeeklyMin is < 0 || WeeklyMin > WeeklyMax) return "the total budget and the weekly minimum must not be negative, and minimum ≤ maximum";
        if (MoveShares is { } shares && shares.Any(x => !(x >= Rules.BandMin && x <= Rules.BandMax))) return "every move share must lie in the band";
        return null;
    }
}
