using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Core.Planning;

/// <summary>
/// A first path to start the MIP from: week by week, the single-week allocator moves each line from the previous week's spend,
/// valuing each spend at the week's response given the adstock carried in (the last week's weighted for what it leaves behind).
/// Myopic, so not optimal, but it keeps the band and usually the rest: SCIP checks it and, if it holds, bounds the search from
/// the first node.
/// </summary>
public static class PathStart
{
    /// <summary>Spend [line][week], or null when some week has no plan.</summary>
    public static double[][]? Greedy(PathProblem problem)
    {
        var (n, h) = (problem.Lines.Count, problem.HorizonWeeks);
        var spend = new double[n][];
        for (var i = 0; i < n; i++) spend[i] = new double[h];
        var previous = problem.Lines.Select(l => l.CurrentSpend).ToArray();
        var adstock = problem.Curves.Select(c => c.StartAdstock).ToArray();
        var rules = problem.Rules;
        for (var t = 0; t < h; t++)
        {
            var lines = problem.Lines.Select((l, i) => PathHold.WeekLine(l, problem.Curves[i].Response, problem.Curves[i].Curve.Theta * adstock[i], previous[i],
                t == h - 1 ? problem.Curves[i].LastWeekWeight : 1)).ToList();
            var week = rules with
            {
                Lines = lines,
                Budget = problem.TotalBudget is { } total ? total / h : problem.WeeklyBudgets?[t] ?? rules.TargetBudget,
                TimeLimitSeconds = Math.Max(0.05, rules.TimeLimitSeconds / (4.0 * h)),
            };
            var plan = Allocator.Solve(week);
            if (!plan.HasPlan) return null;
            for (var i = 0; i < n; i++)
            {
                spend[i][t] = problem.Lines[i].Locked || problem.Lines[i].CurrentSpend == 0 ? problem.Lines[i].CurrentSpend : plan.Lines[i].Recommended;
                adstock[i] = spend[i][t] + problem.Curves[i].Curve.Theta * adstock[i];
                previous[i] = spend[i][t];
            }
        }
        return spend;
    }
}
