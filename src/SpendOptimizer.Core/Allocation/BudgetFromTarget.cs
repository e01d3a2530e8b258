using Google.OrTools.LinearSolver;

namespace SpendOptimizer.Core.Allocation;

/// <summary>What stopped the budget where it is: the target, or the most (least) every line may spend.</summary>
public enum BudgetBinding { Target, BandUpperEdge, BandLowerEdge }

/// <param name="Plan">The best plan at <paramref name="Budget"/> that meets the target, under every other rule.</param>
/// <param name="Budget">The largest budget at which a plan meets the target (for a marginal-value floor: the budget the floor sets).</param>
/// <param name="Least">The least every line may spend together (band, bounds and per-line limits).</param>
/// <param name="Most">The most they may spend together.</param>
/// <param name="MarginalValue">Objective value per unit of the next <paramref name="Step"/> of budget, the target aside:
/// (best value at budget + step − the plan's value) / step; null when no plan spends more.</param>
/// <param name="ClvCac">The plan's blended CLV:CAC on the central curves (null: no customers).</param>
/// <param name="PaybackMonths">Its blended CAC payback (null: no margin).</param>
public sealed record TargetBudgetResult(AllocationResult Plan, BudgetTarget Target, double Budget, BudgetBinding Binding, double Least, double Most,
    double? MarginalValue, double Step, double? ClvCac, double? PaybackMonths);

/// <summary>
/// The budget a <see cref="BudgetTarget"/> sets, as one MIP on the allocation model (no search over budgets):
/// <list type="bullet">
/// <item>CLV:CAC ≥ R and payback ≤ P are linear rows of the model (Σ CLV·cust·ĝ ≥ R·Σ s, Σ s ≤ P·Σ margin·cust·ĝ), so the
/// largest budget at which some plan meets the target is max Σ s over the model with the row added: exact on the model's
/// curves, with the band's gaps and every line's limits as they are. A search over budgets would need the best ratio to
/// fall as the budget grows; with concave curves and spend from zero it does (g(s)/s falls), but the band starts every line
/// at today's spend, where moving money between lines can raise the ratio at a larger budget, and its gaps make the set of
/// feasible budgets a union of intervals; the MIP needs neither.</item>
/// <item>A floor m on the return of the last unit of budget: the budget maximising V(B) − m·B, V the best value at budget B,
/// which is max (value − m·Σ s) over the model. Past it no further budget returns m per unit on average, and while V is
/// concave (diminishing returns, no band gap in the way) it is where V′(B) falls to m.</item>
/// </list>
/// Then the plan at that budget is the allocator's best, holding the target as a blended limit, so lines, reasons and prices
/// read as for any plan. Chords lie under concave curves, so the model's target is met on the true curves too.
/// </summary>
public static class BudgetFromTarget
{
    /// <summary>The next step of budget priced for <see cref="TargetBudgetResult.MarginalValue"/>, as a share of today's total.</summary>
    public const double StepShare = 0.01;

    public static TargetBudgetResult Solve(AllocationProblem problem, string solverId = "SCIP")
    {
        var target = problem.Target ?? new BudgetTarget();
        var free = problem with { BudgetMode = BudgetMode.Target, Budget = null, Target = target };
        var options = free.Validate() is null ? free.Lines.Select(l => Presolve.Line(l, free)).ToList() : [];
        if (options.Count == 0 || options.Any(o => o.Runs.Count == 0))
            // An invalid request or a line with no allowed level: the allocator names the clash as for any plan.
            return Refused(Allocator.Solve(free with { BudgetMode = BudgetMode.Equal }, solverId), target);
        var least = options.Sum(o => o.MinSpend);
        var most = options.Sum(o => o.MaxSpend);

        double? found;
        using (var model = AllocationModel.Build(free, options, solverId))
        {
            var objective = model.Solver.Objective();
            if (target.MinMarginalValue is { } m) AddSpend(model, -m);
            else
            {
                objective.Clear();
                AddSpend(model, 1);
                objective.SetMaximization();
            }
            var status = model.Solve(problem.TimeLimitSeconds);
            found = status is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE
                ? Math.Clamp(Enumerable.Range(0, options.Count).Sum(i => model.Read(i).Spend), least, most) : null;
        }
        if (found is not { } budget) return Refused(Unmet(problem, target, options, least, most, solverId), target);

        var plan = Allocator.Solve(free with { BudgetMode = BudgetMode.Equal, Budget = budget }, solverId);
        // The budget row of a re-built model may miss the first model's plan by round-off; a hair of slack recovers it.
        if (!plan.HasPlan) plan = Allocator.Solve(free with { BudgetMode = BudgetMode.Within, Budget = budget, BudgetTolerance = 1e-7 }, solverId);
        var tolerance = 1e-7 * Math.Max(1, most);
        var binding = budget >= most - tolerance ? BudgetBinding.BandUpperEdge
            : target.MinMarginalValue is not null && budget <= least + tolerance ? BudgetBinding.BandLowerEdge : BudgetBinding.Target;
        if (!plan.HasPlan) return new TargetBudgetResult(plan, target, budget, binding, least, most, null, 0, null, null);

        var spent = plan.Lines.Sum(l => l.Recommended);
        var step = StepShare * Math.Max(1, problem.TotalCurrent);
        var next = spent + step <= most + tolerance
            ? Allocator.Solve(problem with { BudgetMode = BudgetMode.Equal, Budget = spent + step, Target = null }, solverId) : null;
        double? marginal = next is { HasPlan: true } ? (next.RecommendedObjective - plan.RecommendedObjective) / step : null;
        var (clvCac, payback) = Blended(problem, plan);
        return new TargetBudgetResult(plan, target, spent, binding, least, most, marginal, step, clvCac, payback);
    }

    /// <summary>The plan's blended CLV:CAC and CAC payback on the central curves.</summary>
    public static (double? ClvCac, double? PaybackMonths) Blended(AllocationProblem problem, AllocationResult plan)
    {
        var spend = plan.Lines.Sum(l => l.Recommended);
        var clv = plan.Lines.Select((l, i) => problem.Lines[i].Clv * l.Customers).Sum();
        var margin = plan.Lines.Select((l, i) => problem.Lines[i].MonthlyMarginPerCustomer * l.Customers).Sum();
        return (spend > 0 ? clv / spend : null, margin > 0 ? spend / margin : null);
    }

    /// <summary>Adds w per unit of spend to the model's objective.</summary>
    private static void AddSpend(AllocationModel model, double w)
    {
        var objective = model.Solver.Objective();
        for (var i = 0; i < model.Options.Count; i++)
            for (var r = 0; r < model.Options[i].Runs.Count; r++)
            {
                var c = model.Choose[i][r];
                objective.SetCoefficient(c, objective.GetCoefficient(c) + w * model.Options[i].Runs[r].Start);
                foreach (var f in model.Fill[i][r]) objective.SetCoefficient(f, objective.GetCoefficient(f) + w);
            }
    }

    /// <summary>
    /// A CLV:CAC or payback target no budget meets: the best blended ratio any plan reaches, by Dinkelbach's iteration on
    /// max Σ w·ĝ − λ·Σ s (w: CLV·cust, or margin·cust for payback's reciprocal), which climbs to the best ratio in a few solves.
    /// </summary>
    private static AllocationResult Unmet(AllocationProblem problem, BudgetTarget target, IReadOnlyList<LineOptions> options, double least, double most,
        string solverId)
    {
        var clv = target.MinClvCac is not null;
        var open = problem with { BudgetMode = BudgetMode.Target, Budget = null, Target = null };
        Func<AllocationLine, double> weight = clv ? l => l.Clv * l.CustomersPerConversion : l => l.MonthlyMarginPerCustomer * l.CustomersPerConversion;
        var ratio = 0.0;
        for (var k = 0; k < 20; k++)
        {
            using var model = AllocationModel.Build(open, options, solverId);
            var objective = model.Solver.Objective();
            objective.Clear();
            for (var i = 0; i < options.Count; i++)
                for (var r = 0; r < options[i].Runs.Count; r++)
                {
                    var run = options[i].Runs[r];
                    var w = weight(options[i].Line);
                    objective.SetCoefficient(model.Choose[i][r], w * run.StartResponse - ratio * run.Start);
                    for (var j = 0; j < run.Slopes.Length; j++) objective.SetCoefficient(model.Fill[i][r][j], w * run.Slopes[j] - ratio);
                }
            objective.SetMaximization();
            if (model.Solve(problem.TimeLimitSeconds) is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE)) break;
            var (gained, spent) = (0.0, 0.0);
            for (var i = 0; i < options.Count; i++)
            {
                var (s, r) = model.Read(i);
                var run = options[i].Runs[r];
                spent += s;
                gained += weight(options[i].Line) * (run.StartResponse + model.Fill[i][r].Select((f, j) => f.SolutionValue() * run.Slopes[j]).Sum());
            }
            if (spent <= 0) break;
            var better = gained / spent;
            if (better <= ratio * (1 + 1e-9)) break;
            ratio = better;
        }
        var clash = clv
            ? new Clash("target", "clv_cac", target.Value, ratio,
                $"No plan within the band reaches a blended CLV:CAC of {target.Value:F2} at any budget from {least:N0} to {most:N0}; at most {ratio:F2} can.")
            : new Clash("target", "payback", target.Value, ratio > 0 ? 1 / ratio : 0,
                $"No plan within the band has a blended CAC payback of {target.Value:F1} months or less at any budget from {least:N0} to {most:N0}; " +
                (ratio > 0 ? $"{1 / ratio:F1} months can." : "none repays its spend."));
        return new AllocationResult(AllocationStatus.Infeasible, [], Allocator.Value(problem, problem.Lines.Select(l => l.CurrentSpend).ToArray()),
            double.NaN, double.NaN, 0, 0, "target unreachable", [clash], options.Sum(o => o.Runs.Count), 0, 0);
    }

    private static TargetBudgetResult Refused(AllocationResult result, BudgetTarget target) =>
        new(result, target, double.NaN, BudgetBinding.Target, double.NaN, double.NaN, null, 0, null, null);
}
