using System.Diagnostics;
using Google.OrTools.LinearSolver;

namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// Solves an <see cref="AllocationProblem"/>: presolve each line, build the MIP, solve it (SCIP), read the plan on the
/// true curves, price the budget with the LP of the chosen options, and say per line what stopped it. Requests
/// that cannot be met come back as a result naming the clash and the smallest relaxation, never as a silent plan.
/// </summary>
public static class Allocator
{
    public static AllocationResult Solve(AllocationProblem problem, string solverId = "SCIP")
    {
        var clock = Stopwatch.StartNew();
        if (problem.Validate() is { } invalid)
            return Empty(problem, AllocationStatus.Invalid, "invalid", [new Clash("request", "input", 0, 0, invalid)], clock);

        var options = problem.Lines.Select(l => Presolve.Line(l, problem)).ToList();
        var clashes = options.Where(o => o.Runs.Count == 0).SelectMany(o => LineClashes(o, problem)).ToList();
        if (clashes.Count == 0 && BudgetClash(options, problem) is not null && options.Any(o => o.Unreachable is not null))
        {
            options = HeldForTheBudget(options, problem);
            // When no nudge of held lines alone reaches the budget (every line held, band gaps), they may take any level the band
            // allows, limits aside: they break them everywhere, and a plan within the band and budget beats none.
            if (BudgetClash(options, problem) is not null)
            {
                var free = problem with { MaxPaybackMonths = null, MinClvCac = null };
                options = options.Select(o => o.Unreachable is null ? o : Presolve.Line(o.Line, free) with { Unreachable = o.Unreachable }).ToList();
            }
        }
        if (clashes.Count == 0 && BudgetClash(options, problem) is { } budgetClash) clashes.Add(budgetClash);
        if (clashes.Count > 0) return Empty(problem, AllocationStatus.Infeasible, "infeasible before solving", clashes, clock);

        var open = OptionFixing.Reduce(problem, options);
        using var model = AllocationModel.Build(problem, open, solverId);
        var status = model.Solve(problem.TimeLimitSeconds);
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            var timedOut = status == Solver.ResultStatus.NOT_SOLVED;
            return Empty(problem, timedOut ? AllocationStatus.TimedOut : AllocationStatus.Infeasible, status.ToString(),
                timedOut ? [new Clash("request", "time", problem.TimeLimitSeconds, 0, "no plan was found within the time limit")] : BlendedClashes(options, problem),
                clock, model, options.Sum(o => o.Runs.Count));
        }

        var chosen = new int[options.Count];
        var spend = new double[options.Count];
        for (var i = 0; i < options.Count; i++)
        {
            (spend[i], var run) = model.Read(i);
            chosen[i] = IndexOf(options[i].Runs, open[i].Runs[run]);
        }
        var modelObjective = model.Solver.Objective().Value();
        var bound = model.Solver.Objective().BestBound();
        var gap = Math.Abs(modelObjective) > 0 ? Math.Abs(bound - modelObjective) / Math.Abs(modelObjective) : 0;
        var prices = Prices(problem, options, chosen);

        var lines = new List<LinePlan>();
        for (var i = 0; i < options.Count; i++)
            lines.Add(Evaluate(problem, options[i], spend[i], Reason(problem, options[i], spend[i], chosen[i], prices)) with { Unreachable = options[i].Unreachable });
        var current = Value(problem, problem.Lines.Select(l => l.CurrentSpend).ToArray());
        var recommended = Value(problem, spend);
        return new AllocationResult(status == Solver.ResultStatus.OPTIMAL ? AllocationStatus.Optimal : AllocationStatus.Feasible,
            lines, current, recommended, gap, clock.Elapsed.TotalSeconds, Math.Abs(PlanningValue(problem, spend) - modelObjective), status.ToString(), [],
            options.Sum(o => o.Runs.Count), model.Binaries, model.Solver.NumConstraints());
    }

    private static int IndexOf(IReadOnlyList<Run> runs, Run run)
    {
        for (var r = 0; r < runs.Count; r++) if (ReferenceEquals(runs[r], run)) return r;
        throw new InvalidOperationException("a fixed option is not among the line's options");
    }

    /// <summary>The objective of a spend vector on the lines' central curves.</summary>
    public static double Value(AllocationProblem problem, IReadOnlyList<double> spend) =>
        problem.Lines.Select((l, i) => problem.CentralValue(l, spend[i])).Sum();

    /// <summary>The objective the plan is chosen by: predicted changes weighted by each line's caution.</summary>
    public static double PlanningValue(AllocationProblem problem, IReadOnlyList<double> spend) =>
        problem.Lines.Select((l, i) => problem.PlanningValue(l, spend[i])).Sum();

    private static LinePlan Evaluate(AllocationProblem problem, LineOptions o, double s, StopReason reason)
    {
        var l = o.Line;
        var conversions = l.Response(s);
        var customers = conversions * l.CustomersPerConversion;
        var cac = customers > 0 ? s / customers : s > 0 ? double.PositiveInfinity : 0;
        var h = Math.Max(1e-6, 1e-6 * s);
        var slope = (l.Response(s + h) - l.Response(Math.Max(0, s - h))) / (s + h - Math.Max(0, s - h));
        var marginal = problem.Worth(l) * slope - (problem.Objective == Objective.Profit ? 1 : 0);
        var customersPerSpend = slope * l.CustomersPerConversion;
        return new LinePlan(l.Name, l.CurrentSpend, s, l.CurrentSpend > 0 ? s / l.CurrentSpend - 1 : 0,
            l.Response(l.CurrentSpend), conversions, customers, conversions * l.RevenuePerConversion, cac,
            l.MonthlyMarginPerCustomer > 0 ? cac / l.MonthlyMarginPerCustomer : double.PositiveInfinity,
            cac > 0 ? l.Clv / cac : double.PositiveInfinity, marginal,
            customersPerSpend > 0 ? 1 / customersPerSpend : double.PositiveInfinity, reason);
    }

    private sealed record Duals(double Budget, double Payback, double ClvCac);

    /// <summary>Duals of the LP with the MIP's options fixed: the value of one more unit of budget, and of each blended limit.</summary>
    private static Duals Prices(AllocationProblem problem, IReadOnlyList<LineOptions> options, int[] chosen)
    {
        using var lp = AllocationModel.Build(problem, options, fixedChoice: chosen);
        if (lp.Solver.Solve() != Solver.ResultStatus.OPTIMAL) return new Duals(0, 0, 0);
        return new Duals(lp.Budget!.DualValue(), lp.BlendedPayback?.DualValue() ?? 0, lp.BlendedClvCac?.DualValue() ?? 0);
    }

    private static StopReason Reason(AllocationProblem problem, LineOptions o, double s, int runIndex, Duals prices)
    {
        var l = o.Line;
        if (l.Locked) return StopReason.Lock;
        if (o.Unreachable is not null) return StopReason.LimitUnreachable;
        var run = o.Runs[runIndex];
        var tolerance = 1e-6 * Math.Max(1, l.CurrentSpend);
        if (run.IsKeep)
        {
            if (o.Runs.Count > 1) return StopReason.NoGainWorthAMove;
            return o.ExcludedBy.FirstOrDefault(e => e != Edge.None) switch
            {
                Edge.HardBound => StopReason.HardBound,
                Edge.Payback => StopReason.Payback,
                Edge.ClvCac => StopReason.ClvCac,
                _ => l.CurrentSpend == 0 ? StopReason.ZeroToday : StopReason.NoGainWorthAMove,
            };
        }
        var edge = Math.Abs(s - run.End) <= tolerance ? run.HighEdge : Math.Abs(s - run.Start) <= tolerance ? run.LowEdge : Edge.None;
        return edge switch
        {
            Edge.BandEdge => StopReason.BandEdge,
            Edge.HardBound => StopReason.HardBound,
            Edge.Payback => StopReason.Payback,
            Edge.ClvCac => StopReason.ClvCac,
            _ when Math.Abs(prices.Payback) > 1e-9 => StopReason.Payback,
            _ when Math.Abs(prices.ClvCac) > 1e-9 => StopReason.ClvCac,
            _ => StopReason.Budget,
        };
    }

    /// <summary>For a line with no allowed level: the best payback and CLV:CAC it could reach within the band and bounds.</summary>
    private static IEnumerable<Clash> LineClashes(LineOptions o, AllocationProblem problem)
    {
        var l = o.Line;
        if (o.ExcludedBy.All(e => e == Edge.HardBound))
        {
            yield return new Clash(l.Name, "hard_bound", l.Min ?? 0, l.CurrentSpend,
                $"{l.Name}: its bounds [{l.Min}, {l.Max}] exclude today's spend {l.CurrentSpend:N0} and every move the band allows; widen the bounds or the band.");
            yield break;
        }
        var levels = Levels(l, problem).ToList();
        if (problem.MaxPaybackMonths is { } p)
        {
            var best = levels.Min(s => s / Math.Max(1e-300, l.LimitCurve(s) * l.CustomersPerConversion) / l.MonthlyMarginPerCustomer);
            if (best > p)
                yield return new Clash(l.Name, "payback", p, best,
                    $"{l.Name}: CAC payback is at least {best:F1} months at every allowed level; a limit of {Math.Ceiling(best * 10) / 10:F1} months would allow it.");
        }
        if (problem.MinClvCac is { } r && r > 0)
        {
            var best = levels.Max(s => l.Clv * l.LimitCurve(s) * l.CustomersPerConversion / s);
            if (best < r)
                yield return new Clash(l.Name, "clv_cac", r, best,
                    $"{l.Name}: CLV:CAC is at most {best:F2} at every allowed level; a limit of {Math.Floor(best * 100) / 100:F2} would allow it.");
        }
    }

    /// <summary>Spend levels the band and bounds allow for a line (ignoring limits), finely sampled.</summary>
    private static IEnumerable<double> Levels(AllocationLine l, AllocationProblem problem)
    {
        var s0 = l.CurrentSpend;
        var lo = l.Min ?? 0;
        var hi = l.Max ?? double.PositiveInfinity;
        if (s0 >= lo && s0 <= hi && s0 > 0) yield return s0;
        if (l.Locked) yield break;
        for (var i = 0; i <= 100; i++)
        {
            var share = problem.BandMin + (problem.BandMax - problem.BandMin) * i / 100;
            foreach (var s in new[] { s0 * (1 - share), s0 * (1 + share) })
                if (s > 0 && s >= lo && s <= hi) yield return s;
        }
    }

    /// <summary>
    /// Lines held at the level closest to limits they meet nowhere can leave the budget out of reach of the other lines. Then
    /// they move by as little as closes the gap, to the nearest levels the band and bounds allow (they break their limits at
    /// every level anyway, and the budget is the request's): money goes first to the held lines that miss their limits least,
    /// and comes first from those that miss them most.
    /// </summary>
    private static List<LineOptions> HeldForTheBudget(List<LineOptions> options, AllocationProblem problem)
    {
        var (low, high) = problem.BudgetRange;
        var others = options.Where(o => o.Unreachable is null).ToList();
        var (othersLeast, othersMost) = (others.Sum(o => o.MinSpend), others.Sum(o => o.MaxSpend));
        var held = options.Where(o => o.Unreachable is not null).Sum(o => o.MinSpend);
        var gap = held + othersMost < low ? low - othersMost - held : held + othersLeast > high ? high - othersLeast - held : 0;
        // How far a held line misses its limits at its closest level: spend over the most the limits allow, s / (K·g(s)).
        double Miss(LineOptions o) => o.MinSpend / (problem.SpendPerConversionLimit(o.Line) * o.Line.LimitCurve(o.MinSpend));
        var order = options.Where(o => o.Unreachable is not null).OrderBy(o => gap > 0 ? Miss(o) : -Miss(o)).ToList();
        var moved = new Dictionary<LineOptions, LineOptions>();
        foreach (var o in order)
        {
            if (Math.Abs(gap) <= 1e-9) break;
            var from = o.MinSpend;
            var to = Nearest(Presolve.AllowedByBandAndBounds(o.Line, problem), from + gap);
            gap -= to - from;
            moved[o] = o with { Runs = [new Run(to, o.Line.Response(to), [], [], Edge.None, Edge.None, IsKeep: to == o.Line.CurrentSpend)] };
        }
        return options.Select(o => moved.GetValueOrDefault(o, o)).ToList();
    }

    /// <summary>The allowed level nearest <paramref name="target"/>.</summary>
    private static double Nearest(IReadOnlyList<(double From, double To)> allowed, double target) =>
        allowed.Select(x => Math.Clamp(target, x.From, x.To)).MinBy(s => Math.Abs(s - target));

    /// <summary>Whether any combination of allowed levels can meet the budget, by the extremes of each line's set.</summary>
    private static Clash? BudgetClash(IReadOnlyList<LineOptions> options, AllocationProblem problem)
    {
        var least = options.Sum(o => o.MinSpend);
        var most = options.Sum(o => o.MaxSpend);
        var b = problem.TargetBudget;
        var (low, high) = problem.BudgetRange;
        if (least > high + 1e-9)
            return new Clash("budget", "budget", b, least, $"The lines' smallest allowed spends add up to {least:N0}, above the budget {b:N0}; a budget of at least {least:N0} (or a wider band) is needed.");
        if (most < low - 1e-9)
            return new Clash("budget", "budget", b, most, $"The lines' largest allowed spends add up to {most:N0}, below the budget {b:N0}; a budget of at most {most:N0} (or a wider band) is needed.");
        return null;
    }

    /// <summary>Blended limits that no plan can meet: the best blended ratio reachable, found by solving for it.</summary>
    private static IReadOnlyList<Clash> BlendedClashes(IReadOnlyList<LineOptions> options, AllocationProblem problem)
    {
        var clashes = new List<Clash>();
        if (problem.MinClvCac is { } r && problem.BlendedLimits)
        {
            var best = BestFeasibleLimit(options, x => problem with { MinClvCac = x }, infeasible: r, feasible: 0);
            if (best < r) clashes.Add(new Clash("blended", "clv_cac", r, best, $"Blended CLV:CAC cannot reach {r:F2} within the band and budget; at most {best:F2} can."));
        }
        if (problem.MaxPaybackMonths is { } p && problem.BlendedLimits)
        {
            var best = BestFeasibleLimit(options, x => problem with { MaxPaybackMonths = x }, infeasible: p, feasible: p * 64);
            if (best > p) clashes.Add(new Clash("blended", "payback", p, best, $"Blended CAC payback cannot be {p:F1} months or less within the band and budget; {best:F1} months can."));
        }
        if (clashes.Count == 0) clashes.Add(new Clash("blended", "limits", 0, 0, "The blended limits and the budget cannot all be met together."));
        return clashes;
    }

    /// <summary>Bisection on one limit's value between an infeasible and a feasible end, 30 halvings.</summary>
    private static double BestFeasibleLimit(IReadOnlyList<LineOptions> options, Func<double, AllocationProblem> with, double infeasible, double feasible)
    {
        bool Feasible(double x)
        {
            using var m = AllocationModel.Build(with(x), options);
            return m.Solve(2) is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE;
        }
        if (!Feasible(feasible)) return feasible;
        for (var i = 0; i < 30; i++)
        {
            var mid = (infeasible + feasible) / 2;
            if (Feasible(mid)) feasible = mid; else infeasible = mid;
        }
        return feasible;
    }

    private static AllocationResult Empty(AllocationProblem problem, AllocationStatus status, string solverStatus, IReadOnlyList<Clash> clashes,
        Stopwatch clock, AllocationModel? model = null, int options = 0) =>
        new(status, [], problem.Lines.Count == 0 ? 0 : Value(problem, problem.Lines.Select(l => l.CurrentSpend).ToArray()), double.NaN, double.NaN,
            clock.Elapsed.TotalSeconds, 0, solverStatus, clashes, options, model?.Binaries ?? 0, model?.Solver.NumConstraints() ?? 0);
}
