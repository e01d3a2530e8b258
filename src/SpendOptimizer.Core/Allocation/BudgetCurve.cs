namespace SpendOptimizer.Core.Allocation;

/// <param name="Change">The total budget as a change on today's total (−0.1: 10% less).</param>
/// <param name="Budget">Today's total × (1 + change).</param>
/// <param name="Plan">The best plan spending exactly that budget under the problem's rules, or the clash that stops one.</param>
/// <param name="Gain">Its gain over today's spend across the curves' draws (empty when there is no plan).</param>
/// <param name="MarginalValue">Objective value per unit of budget from the previous point to this one (null for the first point, or
/// when either has no plan).</param>
public sealed record BudgetCurvePoint(double Change, double Budget, AllocationResult Plan, GainDistribution Gain, double? MarginalValue);

/// <summary>
/// What a budget buys: the best plan at each of a range of total budgets, every point a full allocation with the band,
/// limits and locks as asked and the budget kept exactly. The points share nothing, so they are solved side by side.
/// </summary>
public static class BudgetCurve
{
    /// <summary>Most points one curve may have.</summary>
    public const int MaxPoints = 61;

    /// <summary>Changes from <paramref name="from"/> to <paramref name="to"/> by <paramref name="step"/>, both ends included (the last
    /// step may be short), each rounded to 1e-9 so that 0 is today's budget exactly.</summary>
    public static IReadOnlyList<double> Changes(double from, double to, double step)
    {
        var changes = new List<double>();
        for (var k = 0; changes.Count < MaxPoints; k++)
        {
            var c = Math.Round(from + k * step, 9);
            if (c > to + 1e-9) break;
            changes.Add(c);
        }
        if (changes.Count < MaxPoints && changes[^1] < to - 1e-9) changes.Add(to);
        return changes;
    }

    /// <summary>How many points the range has, or null when it is not a range (step ≤ 0, from > to) or would have more than <see cref="MaxPoints"/>.</summary>
    public static int? Count(double from, double to, double step) =>
        step > 0 && from <= to && (to - from) / step <= MaxPoints - 1 + 1e-9 ? Changes(from, to, step).Count : null;

    /// <param name="draws">Per draw, one response curve per line, for each point's gain (see <see cref="PlanUncertainty"/>).</param>
    /// <param name="clv">Per draw, one CLV per line, paired with <paramref name="draws"/>; null: each line's own CLV.</param>
    /// <param name="parallelism">How many points are solved at once.</param>
    public static IReadOnlyList<BudgetCurvePoint> Solve(AllocationProblem problem, IReadOnlyList<double> changes,
        IReadOnlyList<Func<double, double>[]> draws, double[][]? clv = null, int parallelism = 1, string solverId = "SCIP")
    {
        var today = problem.TotalCurrent;
        var plans = new (AllocationResult Plan, GainDistribution Gain)[changes.Count];
        Parallel.For(0, changes.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, k =>
        {
            var at = problem with { BudgetMode = BudgetMode.Equal, Budget = today * (1 + changes[k]), BudgetTolerance = 0, Target = null };
            var plan = Allocator.Solve(at, solverId);
            plans[k] = (plan, plan.HasPlan ? PlanUncertainty.Evaluate(at, plan.Lines.Select(l => l.Recommended).ToArray(), draws, clv)
                : new GainDistribution(double.NaN, double.NaN, double.NaN, double.NaN, 0));
        });
        return changes.Select((c, k) =>
        {
            var budget = today * (1 + c);
            double? marginal = null;
            if (k > 0 && plans[k].Plan.HasPlan && plans[k - 1].Plan.HasPlan)
            {
                var previous = today * (1 + changes[k - 1]);
                marginal = budget > previous ? (plans[k].Plan.RecommendedObjective - plans[k - 1].Plan.RecommendedObjective) / (budget - previous) : null;
            }
            return new BudgetCurvePoint(c, budget, plans[k].Plan, plans[k].Gain, marginal);
        }).ToList();
    }
}
