using System.Diagnostics;
using Google.OrTools.LinearSolver;
using SpendOptimizer.Core.Allocation;
using Objective = SpendOptimizer.Core.Allocation.Objective;

namespace SpendOptimizer.Core.Planning;

/// <summary>
/// Solves a <see cref="PathProblem"/> globally with the path MIP (SCIP), then reads the path on the true curves with the exact
/// adstock recursion and says per cell what stopped it. A path that cannot exist comes back naming why, never as a silent plan.
/// </summary>
public static class PathPlanner
{
    public static PathResult Solve(PathProblem problem, string solverId = "SCIP")
    {
        var clock = Stopwatch.StartNew();
        if (problem.Validate() is { } invalid) return Empty(AllocationStatus.Invalid, "invalid", [new Clash("request", "input", 0, 0, invalid)], clock);

        // Lines that meet their limits at no move are held at their closest levels, the single week's rule, week after week until they can.
        var held = problem.Lines.Select((_, i) => PathHold.Prefix(problem, i)).ToArray();
        var ranges = problem.Lines.Select((_, i) => PathRange.Of(problem, i, held[i])).ToArray();
        // Held levels can leave a week's budget out of reach of the other lines; then held cells may take any level the band allows
        // (they break their limits at every level anyway, and the budget is the request's), as the single week lets them.
        if (held.Any(h => h.Any(u => u is not null)) && BudgetClashes(problem, ranges).Any())
            ranges = problem.Lines.Select((_, i) => PathRange.Of(problem, i, held[i], release: true)).ToArray();
        var clashes = new List<Clash>();
        for (var i = 0; i < ranges.Length; i++)
            if (ranges[i].Unreachable is { } week)
            {
                var l = problem.Lines[i];
                clashes.Add(new Clash(l.Name, "hard_bound", l.Min ?? 0, l.CurrentSpend,
                    $"{l.Name}: its bounds [{l.Min}, {l.Max}] cannot be reached from today's spend {l.CurrentSpend:N0} by week {week + 1} within the band{(l.Locked ? " (it is locked)" : "")}."));
            }
        if (clashes.Count == 0) clashes.AddRange(BudgetClashes(problem, ranges));
        if (clashes.Count > 0) return Empty(AllocationStatus.Infeasible, "infeasible before solving", clashes, clock);

        using var model = PathModel.Build(problem, ranges, solverId);
        if (PathStart.Greedy(problem) is { } start) model.Hint(start);
        var status = model.Solve(Math.Max(0.1, problem.Rules.TimeLimitSeconds - clock.Elapsed.TotalSeconds), problem.RelativeGap);
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            var timedOut = status == Solver.ResultStatus.NOT_SOLVED;
            return Empty(timedOut ? AllocationStatus.TimedOut : AllocationStatus.Infeasible, status.ToString(),
                [timedOut ? new Clash("request", "time", problem.Rules.TimeLimitSeconds, 0, "no path was found within the time limit")
                    : new Clash("path", "limits", 0, 0, "No path keeps the band against each previous week, the budgets and the limits together; widen the band, the budget or the limits."),
                  .. (timedOut ? [] : Unmeetable(problem))],
                clock, model.Binaries, model.Solver.NumConstraints());
        }

        var spend = model.Spend.Select(w => w.Select(v => Math.Max(0, v.SolutionValue())).ToArray()).ToArray();
        var objective = model.Solver.Objective().Value();
        var bound = model.Solver.Objective().BestBound();
        var gap = Math.Abs(objective) > 0 ? Math.Abs(bound - objective) / Math.Abs(objective) : 0;
        var planValue = Value(problem, spend);
        var cells = new List<PathCell>();
        var after = new List<CarryOver>();
        for (var i = 0; i < spend.Length; i++)
        {
            var (l, curve) = (problem.Lines[i], problem.Curves[i]);
            var adstock = Adstock(curve, spend[i]);
            for (var t = 0; t < problem.HorizonWeeks; t++)
            {
                var previous = t == 0 ? l.CurrentSpend : spend[i][t - 1];
                cells.Add(Cell(problem, i, t, spend[i][t], previous, adstock[t], Reason(model, i, t, spend[i][t], previous)) with { Unreachable = ranges[i].Held[t] });
            }
            var tail = (curve.LastWeekWeight - 1) * curve.Response(adstock[^1]);
            after.Add(new CarryOver(l.Name, tail, problem.Rules.Worth(l) * tail));
        }
        return new PathResult(status == Solver.ResultStatus.OPTIMAL ? AllocationStatus.Optimal : AllocationStatus.Feasible, cells, after,
            Value(problem, KeepToday(problem)), planValue, gap, Math.Abs(objective - planValue), model.ApproximationBound, status.ToString(), clock.Elapsed.TotalSeconds, [],
            model.Binaries, model.Solver.NumConstraints());
    }

    /// <summary>Today's spend every week, [line][week].</summary>
    public static double[][] KeepToday(PathProblem problem) =>
        problem.Lines.Select(l => Enumerable.Repeat(l.CurrentSpend, problem.HorizonWeeks).ToArray()).ToArray();

    /// <summary>A_t = s_t + θ·A_{t−1} from the start adstock, exactly.</summary>
    public static double[] Adstock(PathCurve curve, IReadOnlyList<double> spend)
    {
        var a = new double[spend.Count];
        var previous = curve.StartAdstock;
        for (var t = 0; t < spend.Count; t++) previous = a[t] = spend[t] + curve.Curve.Theta * previous;
        return a;
    }

    /// <summary>
    /// The objective of a path [line][week] on the true curves: Σ worth·β·Hill(A_t) (− spend for profit), the last week's
    /// response counted 1/(1−θ) times for the adstock it leaves behind.
    /// </summary>
    public static double Value(PathProblem problem, IReadOnlyList<IReadOnlyList<double>> spend)
    {
        var total = 0.0;
        for (var i = 0; i < spend.Count; i++)
        {
            var (l, curve) = (problem.Lines[i], problem.Curves[i]);
            var adstock = Adstock(curve, spend[i]);
            for (var t = 0; t < adstock.Length; t++)
            {
                var weight = t == adstock.Length - 1 ? curve.LastWeekWeight : 1;
                total += problem.Rules.Worth(l) * weight * curve.Response(adstock[t]) - (problem.Rules.Objective == Objective.Profit ? spend[i][t] : 0);
            }
        }
        return total;
    }

    private static PathCell Cell(PathProblem problem, int line, int week, double s, double previous, double adstock, StopReason reason)
    {
        var (l, curve, rules) = (problem.Lines[line], problem.Curves[line], problem.Rules);
        var conversions = curve.Response(adstock);
        var customers = conversions * l.CustomersPerConversion;
        var cac = customers > 0 ? s / customers : s > 0 ? double.PositiveInfinity : 0;
        return new PathCell(l.Name, week, s, previous, previous > 0 ? s / previous - 1 : 0, adstock, conversions, customers,
            conversions * l.RevenuePerConversion, rules.Worth(l) * conversions - (rules.Objective == Objective.Profit ? s : 0), cac,
            l.MonthlyMarginPerCustomer > 0 ? cac / l.MonthlyMarginPerCustomer : double.PositiveInfinity, cac > 0 ? l.Clv / cac : double.PositiveInfinity, reason);
    }

    private static StopReason Reason(PathModel model, int line, int week, double s, double previous)
    {
        var l = model.Problem.Lines[line];
        if (l.Locked) return StopReason.Lock;
        if (model.Ranges[line].Held[week] is not null) return StopReason.LimitUnreachable;
        if (l.CurrentSpend == 0) return StopReason.ZeroToday;
        if (model.ChosenMove(line, week) is not { } k || k == 0) return StopReason.NoGainWorthAMove;
        var tolerance = 1e-6 * Math.Max(1, previous);
        if ((l.Max is { } max && s >= max - tolerance) || (l.Min is { } min && s <= min + tolerance)) return StopReason.HardBound;
        if (model.LineLimit[line][week] is not null && s >= model.Problem.Rules.SpendPerConversionLimit(l) * model.Response[line][week].SolutionValue() - tolerance)
            return Presolve.LimitEdge(l, model.Problem.Rules) == Edge.Payback ? StopReason.Payback : StopReason.ClvCac;
        var (low, high) = model.Problem.Moves()[k];
        if (Math.Abs(s - low * previous) <= tolerance || Math.Abs(s - high * previous) <= tolerance) return StopReason.BandEdge;
        return StopReason.Budget;
    }

    /// <summary>
    /// Under unreachable_limits refuse: the lines that meet their per-line limits at no move in the first week, named as the single
    /// week names them, so a refused path says which line refused it.
    /// </summary>
    private static IEnumerable<Clash> Unmeetable(PathProblem problem)
    {
        if (problem.Rules.UnreachableLimits != UnreachableLimits.Refuse) yield break;
        var closest = problem with { Rules = problem.Rules with { UnreachableLimits = UnreachableLimits.Closest } };
        for (var i = 0; i < problem.Lines.Count; i++)
            if (PathHold.Prefix(closest, i)[0] is { } u)
                yield return new Clash(problem.Lines[i].Name, u.Limits.FirstOrDefault() ?? "limits", 0, 0,
                    $"{problem.Lines[i].Name}: meets its {string.Join(" and ", u.Limits)} limit at no level the band allows in week 1 (payback {u.PaybackMonths:F1} months, CLV:CAC {u.ClvCac:F2} at best); unreachable_limits closest would hold it at {u.Level:N0}.");
    }

    /// <summary>Weeks whose budget no reachable spends can meet, by the extremes of each line's range.</summary>
    private static IEnumerable<Clash> BudgetClashes(PathProblem problem, PathRange[] ranges)
    {
        for (var t = 0; t < problem.HorizonWeeks; t++)
        {
            var (low, high) = problem.WeekRange(t);
            var least = ranges.Sum(r => r.SpendLow[t]);
            var most = ranges.Sum(r => r.SpendHigh[t]);
            if (least > high + 1e-9 * Math.Max(1, high))
                yield return new Clash("budget", "budget", high, least, $"Week {t + 1}: the smallest spends the band allows add up to {least:N0}, above its budget {high:N0}.");
            else if (most < low - 1e-9 * Math.Max(1, low))
                yield return new Clash("budget", "budget", low, most, $"Week {t + 1}: the largest spends the band allows add up to {most:N0}, below its budget {low:N0}.");
        }
        if (problem.TotalRange is not { } total) yield break;
        var totalLeast = ranges.Sum(r => r.SpendLow.Sum());
        var totalMost = ranges.Sum(r => r.SpendHigh.Sum());
        if (totalLeast > total.High + 1e-9 * Math.Max(1, total.High))
            yield return new Clash("budget", "budget", total.High, totalLeast, $"The smallest spends the band allows add up to {totalLeast:N0} over the horizon, above the total budget {total.High:N0}.");
        else if (totalMost < total.Low - 1e-9 * Math.Max(1, total.Low))
            yield return new Clash("budget", "budget", total.Low, totalMost, $"The largest spends the band allows add up to {totalMost:N0} over the horizon, below the total budget {total.Low:N0}.");
    }

    private static PathResult Empty(AllocationStatus status, string solverStatus, IReadOnlyList<Clash> clashes, Stopwatch clock, int binaries = 0, int constraints = 0) =>
        new(status, [], [], 0, 0, 0, 0, 0, solverStatus, clock.Elapsed.TotalSeconds, clashes, binaries, constraints);
}
