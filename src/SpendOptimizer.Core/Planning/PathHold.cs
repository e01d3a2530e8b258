using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Core.Planning;

/// <summary>
/// The single week's rule for a line that meets its per-line limits at no allowed level (<see cref="Presolve"/>,
/// <see cref="UnreachableLimit"/>), applied to one week of a path: the line moves from the previous week's spend, its response
/// at the adstock carried in. Shared by the path planner and the exhaustive path search, so both hold the same lines at the same levels.
/// </summary>
public static class PathHold
{
    /// <summary>The line as one week of a path sees it: today's spend is the previous week's, the response s ↦ g(s + carried).</summary>
    /// <param name="weight">What the week's response counts for in the objective (the last week's counts 1/(1−θ)); the limits use it unweighted.</param>
    public static AllocationLine WeekLine(AllocationLine line, Func<double, double> response, double carried, double previous, double weight = 1) =>
        line with
        {
            CurrentSpend = previous,
            Response = s => weight * response(s + carried),
            LimitResponse = s => response(s + carried),
            RiseWeight = 1,
            FallWeight = 1,
        };

    /// <summary>
    /// The level <paramref name="week"/> is held at when no move the path allows meets its per-line limits, or null (some move meets
    /// them, they do not apply, bounds alone exclude every move, or the rules refuse such a line). With <paramref name="shares"/>
    /// the moves are keep and ± each share (a grid); without, keep and any share in the band.
    /// </summary>
    public static UnreachableLimit? Held(AllocationLine week, AllocationProblem rules, IReadOnlyList<double>? shares)
    {
        if (!rules.PerChannelLimits || rules.UnreachableLimits == UnreachableLimits.Refuse) return null;
        var grid = shares?.Where(x => x > 0).Distinct().ToList();
        var bands = grid is null ? [rules]
            : grid.Count == 0 ? [rules with { BandMin = 0, BandMax = 0 }]
            : grid.Select(x => rules with { BandMin = x, BandMax = x }).ToList();
        var options = bands.Select(b => Presolve.Line(week, b)).ToList();
        if (options.Any(o => o.Runs.Count > 0 && o.Unreachable is null) || options.All(o => o.Unreachable is null)) return null;
        return options.Count == 1 ? options[0].Unreachable
            : UnreachableLimit.Closest(week, rules, bands.SelectMany(b => Presolve.AllowedByBandAndBounds(week, b)).ToList());
    }

    /// <summary>
    /// The weeks (from the first) a line of a path is held at its closest level: week after week while it can meet its limits at no
    /// move from where the held weeks leave it; null from the first week it can, for from then on it meets them every week.
    /// </summary>
    public static UnreachableLimit?[] Prefix(PathProblem problem, int line)
    {
        var (l, curve, h) = (problem.Lines[line], problem.Curves[line], problem.HorizonWeeks);
        var held = new UnreachableLimit?[h];
        var (previous, adstock) = (l.CurrentSpend, curve.StartAdstock);
        for (var t = 0; t < h; t++)
        {
            if (Held(WeekLine(l, curve.Response, curve.Curve.Theta * adstock, previous), problem.Rules, problem.MoveShares) is not { } u) break;
            held[t] = u;
            (previous, adstock) = (u.Level, u.Level + curve.Curve.Theta * adstock);
        }
        return held;
    }
}
