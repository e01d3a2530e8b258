using Google.OrTools.LinearSolver;

namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// The MIP for one problem, built and not yet solved, so tests can read its variables and constraints.
///   choose[line, run] ∈ {0,1}, Σ_run choose = 1                         (keep, or one stretch of a move)
///   0 ≤ fill[line, run, piece] ≤ length · choose   (nothing filled in an unchosen run; per piece, so each run's LP is its convex hull)
///   spend[line] = Σ_run (start · choose + Σ fill),  ĝ[line] = Σ_run (g(start) · choose + Σ slope · fill)
/// Within a run the slopes fall, so maximising fills pieces in order and ĝ is the chord interpolation of g.
/// A line left with a single option (see <see cref="OptionFixing"/>) has neither binaries nor rows.
/// </summary>
public sealed class AllocationModel : IDisposable
{
    public Solver Solver { get; }
    public AllocationProblem Problem { get; }
    public IReadOnlyList<LineOptions> Options { get; }
    public IReadOnlyList<Variable[]> Choose { get; }
    public IReadOnlyList<Variable[][]> Fill { get; }
    public Constraint? Budget { get; }
    public Constraint? BlendedPayback { get; }
    public Constraint? BlendedClvCac { get; }
    public int Binaries { get; private init; }

    private AllocationModel(Solver solver, AllocationProblem problem, IReadOnlyList<LineOptions> options, Variable[][] choose, Variable[][][] fill,
        Constraint? budget, Constraint? payback, Constraint? clvCac)
    {
        Solver = solver;
        Problem = problem;
        Options = options;
        Choose = choose;
        Fill = fill;
        Budget = budget;
        BlendedPayback = payback;
        BlendedClvCac = clvCac;
    }

    /// <param name="fixedChoice">When given (run index per line), binaries become fixed continuous variables: the LP whose duals price the budget and limits.</param>
    public static AllocationModel Build(AllocationProblem problem, IReadOnlyList<LineOptions> options, string solverId = "SCIP", int[]? fixedChoice = null)
    {
        // data → variables. A line with one option, or a fixed choice, needs no binary and no linking rows: its
        // choose variables are constants and its pieces are plain bounds.
        var solver = Solver.CreateSolver(fixedChoice is null ? solverId : "GLOP") ?? throw new InvalidOperationException($"solver {solverId} is not available");
        var choose = new Variable[options.Count][];
        var fill = new Variable[options.Count][][];
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            var free = fixedChoice is null && o.Runs.Count > 1;
            choose[i] = new Variable[o.Runs.Count];
            fill[i] = new Variable[o.Runs.Count][];
            for (var r = 0; r < o.Runs.Count; r++)
            {
                var name = $"{o.Line.Name}#{r}";
                var on = fixedChoice is null || fixedChoice[i] == r ? 1 : 0;
                choose[i][r] = free ? solver.MakeBoolVar($"choose[{name}]") : solver.MakeNumVar(on, on, $"choose[{name}]");
                var run = o.Runs[r];
                fill[i][r] = run.Lengths.Select((len, j) => solver.MakeNumVar(0, free ? len : on * len, $"fill[{name}/{j}]")).ToArray();
            }
            if (!free) continue;

            // the line takes exactly one of its options; a run's pieces fill only when the run is chosen
            var one = solver.MakeConstraint(1, 1, $"one_option[{o.Line.Name}]");
            for (var r = 0; r < o.Runs.Count; r++)
            {
                one.SetCoefficient(choose[i][r], 1);
                var run = o.Runs[r];
                for (var j = 0; j < run.Lengths.Length; j++)
                {
                    var only = solver.MakeConstraint(double.NegativeInfinity, 0, $"fill_only_if_chosen[{o.Line.Name}#{r}/{j}]");
                    only.SetCoefficient(choose[i][r], -run.Lengths[j]);
                    only.SetCoefficient(fill[i][r][j], 1);
                }
            }
        }

        // Σ spend = B (or within ±tolerance, or ≤ B)
        var (low, high) = problem.BudgetRange;
        var budget = solver.MakeConstraint(low, high, "budget");
        AddSpend(budget, options, choose, fill, 1);

        // blended: Σ spend ≤ P · Σ margin·cust·ĝ  and  Σ CLV·cust·ĝ ≥ R · Σ spend
        Constraint? payback = null, clvCac = null;
        if (problem.BlendedMaxPaybackMonths is { } p)
        {
            payback = solver.MakeConstraint(double.NegativeInfinity, 0, "blended_payback");
            AddSpend(payback, options, choose, fill, 1);
            AddResponse(payback, options, choose, fill, l => -p * l.MonthlyMarginPerCustomer * l.CustomersPerConversion);
        }
        if (problem.BlendedMinClvCac is { } ratio && ratio > 0)
        {
            clvCac = solver.MakeConstraint(0, double.PositiveInfinity, "blended_clv_cac");
            AddSpend(clvCac, options, choose, fill, -ratio);
            AddResponse(clvCac, options, choose, fill, l => l.Clv * l.CustomersPerConversion);
        }

        // Each line picks exactly one run, so worth · ĝ(s0) is a constant: it goes into the offset, and the
        // coefficients carry only the changes, which keeps the LP well scaled (large equal terms on every option once
        // gave SCIP numerical trouble).
        var objective = solver.Objective();
        var offset = 0.0;
        for (var i = 0; i < options.Count; i++)
        {
            var line = options[i].Line;
            if (options[i].Runs.Count > 0) offset += problem.Worth(line) * line.Response(line.CurrentSpend);
            for (var r = 0; r < options[i].Runs.Count; r++)
            {
                var (start, pieces) = RunObjective(problem, line, options[i].Runs[r]);
                objective.SetCoefficient(choose[i][r], start);
                for (var j = 0; j < pieces.Length; j++) objective.SetCoefficient(fill[i][r][j], pieces[j]);
            }
        }
        objective.SetOffset(offset);
        objective.SetMaximization();
        return new AllocationModel(solver, problem, options, choose, fill, budget, payback, clvCac)
        {
            Binaries = fixedChoice is null ? options.Where(o => o.Runs.Count > 1).Sum(o => o.Runs.Count) : 0,
        };
    }

    /// <summary>
    /// A run's objective coefficients, less the line's value today: on choosing it, and per unit of each piece.
    /// Worth · w · (ĝ − ĝ(s0)) (− spend for profit), w the caution weight of the run's side of today's spend; a run lies on
    /// one side, so its slopes scale by one positive w and stay concave.
    /// </summary>
    public static (double Start, double[] Pieces) RunObjective(AllocationProblem problem, AllocationLine line, Run run)
    {
        var scale = problem.Worth(line) * line.CautionWeight((run.Start + run.End) / 2);
        var spendCost = problem.Objective == Objective.Profit ? 1 : 0;
        var today = line.Response(line.CurrentSpend);
        return (scale * (run.StartResponse - today) - spendCost * run.Start, run.Slopes.Select(slope => scale * slope - spendCost).ToArray());
    }

    private static void AddSpend(Constraint c, IReadOnlyList<LineOptions> options, Variable[][] choose, Variable[][][] fill, double scale)
    {
        for (var i = 0; i < options.Count; i++)
            for (var r = 0; r < options[i].Runs.Count; r++)
            {
                c.SetCoefficient(choose[i][r], c.GetCoefficient(choose[i][r]) + scale * options[i].Runs[r].Start);
                foreach (var f in fill[i][r]) c.SetCoefficient(f, c.GetCoefficient(f) + scale);
            }
    }

    private static void AddResponse(Constraint c, IReadOnlyList<LineOptions> options, Variable[][] choose, Variable[][][] fill, Func<AllocationLine, double> weight)
    {
        for (var i = 0; i < options.Count; i++)
        {
            var w = weight(options[i].Line);
            for (var r = 0; r < options[i].Runs.Count; r++)
            {
                var run = options[i].Runs[r];
                c.SetCoefficient(choose[i][r], c.GetCoefficient(choose[i][r]) + w * run.StartResponse);
                for (var j = 0; j < run.Lengths.Length; j++) c.SetCoefficient(fill[i][r][j], c.GetCoefficient(fill[i][r][j]) + w * run.Slopes[j]);
            }
        }
    }

    /// <summary>Solves to a relative gap of 1e-7 (OR-Tools defaults to 1e-4, which at 1,000 lines is a fair share of the gain), within the time limit.</summary>
    public Solver.ResultStatus Solve(double timeLimitSeconds)
    {
        Solver.SetTimeLimit((long)(timeLimitSeconds * 1000));
        // The model is presolved per line and its options fixed by price (OptionFixing): what SCIP adds at the root —
        // presolve, restarts, cut rounds, propagation — costs more than it saves (a 50-line model spent 0.6 s there, 35 ms
        // without). Without presolve, SoPlex's default scaling once left a 1,000-line root LP in "unresolved numerical
        // troubles" until the time limit; its aggressive scaling (2) solves it.
        if (Solver.SolverVersion().StartsWith("SCIP"))
            Solver.SetSolverSpecificParametersAsString(string.Join('\n', "presolving/maxrounds = 0", "presolving/maxrestarts = 0",
                "separating/maxroundsroot = 0", "propagating/maxroundsroot = 0", "lp/scaling = 2"));
        using var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 1e-7);
        return Solver.Solve(parameters);
    }

    /// <summary>Spend of a line in the current solution, and the run chosen.</summary>
    public (double Spend, int Run) Read(int line)
    {
        var best = 0;
        for (var r = 1; r < Choose[line].Length; r++)
            if (Choose[line][r].SolutionValue() > Choose[line][best].SolutionValue()) best = r;
        var run = Options[line].Runs[best];
        return (run.Start + Fill[line][best].Sum(f => f.SolutionValue()), best);
    }

    public void Dispose() => Solver.Dispose();
}
