using Google.OrTools.LinearSolver;

namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// The MIP for one problem, built and not yet solved, so tests can read its variables and constraints.
///   choose[line, run] ∈ {0,1}, Σ_run choose = 1                         (keep, or one stretch of a move)
///   0 ≤ fill[line, run, piece] ≤ length · choose   (nothing filled in an unchosen run; per piece, so each run's LP is its convex hull)
///   spend[line] = Σ_run (start · choose + Σ fill),  ĝ[line] = Σ_run (g(start) · choose + Σ slope · fill)
/// Within a run the slopes fall, so maximising fills pieces in order and ĝ is the chord interpolation of g.
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
        // data → variables
        var solver = Solver.CreateSolver(fixedChoice is null ? solverId : "GLOP") ?? throw new InvalidOperationException($"solver {solverId} is not available");
        var choose = new Variable[options.Count][];
        var fill = new Variable[options.Count][][];
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            choose[i] = new Variable[o.Runs.Count];
            fill[i] = new Variable[o.Runs.Count][];
            for (var r = 0; r < o.Runs.Count; r++)
            {
                var name = $"{o.Line.Name}#{r}";
                choose[i][r] = fixedChoice is null
                    ? solver.MakeBoolVar($"choose[{name}]")
                    : solver.MakeNumVar(fixedChoice[i] == r ? 1 : 0, fixedChoice[i] == r ? 1 : 0, $"choose[{name}]");
                var run = o.Runs[r];
                fill[i][r] = run.Lengths.Select((len, j) => solver.MakeNumVar(0, len, $"fill[{name}/{j}]")).ToArray();
            }
        }

        // each line takes exactly one of its options; a run's pieces fill only when the run is chosen
        for (var i = 0; i < options.Count; i++)
        {
            var one = solver.MakeConstraint(1, 1, $"one_option[{options[i].Line.Name}]");
            for (var r = 0; r < options[i].Runs.Count; r++)
            {
                one.SetCoefficient(choose[i][r], 1);
                var run = options[i].Runs[r];
                for (var j = 0; j < run.Lengths.Length; j++)
                {
                    var only = solver.MakeConstraint(double.NegativeInfinity, 0, $"fill_only_if_chosen[{options[i].Line.Name}#{r}/{j}]");
                    only.SetCoefficient(choose[i][r], -run.Lengths[j]);
                    only.SetCoefficient(fill[i][r][j], 1);
                }
            }
        }

        // Σ spend = B (or within ±tolerance, or ≤ B)
        var b = problem.TargetBudget;
        var (low, high) = problem.BudgetMode switch
        {
            BudgetMode.Equal => (b, b),
            BudgetMode.Within => (b * (1 - problem.BudgetTolerance), b * (1 + problem.BudgetTolerance)),
            _ => (0.0, b),
        };
        var budget = solver.MakeConstraint(low, high, "budget");
        AddSpend(budget, options, choose, fill, 1);

        // blended: Σ spend ≤ P · Σ margin·cust·ĝ  and  Σ CLV·cust·ĝ ≥ R · Σ spend
        Constraint? payback = null, clvCac = null;
        if (problem.BlendedLimits && problem.MaxPaybackMonths is { } p)
        {
            payback = solver.MakeConstraint(double.NegativeInfinity, 0, "blended_payback");
            AddSpend(payback, options, choose, fill, 1);
            AddResponse(payback, options, choose, fill, l => -p * l.MonthlyMarginPerCustomer * l.CustomersPerConversion);
        }
        if (problem.BlendedLimits && problem.MinClvCac is { } ratio && ratio > 0)
        {
            clvCac = solver.MakeConstraint(0, double.PositiveInfinity, "blended_clv_cac");
            AddSpend(clvCac, options, choose, fill, -ratio);
            AddResponse(clvCac, options, choose, fill, l => l.Clv * l.CustomersPerConversion);
        }

        // maximise Σ worth · (ĝ(s0) + w · (ĝ − ĝ(s0))) (− Σ spend for profit), w the caution weight of the run's side of
        // today's spend; a run lies on one side, so its slopes scale by one positive w and stay concave. Each line picks
        // exactly one run, so worth · ĝ(s0) is a constant: it goes into the offset, and the coefficients carry only the
        // changes, which keeps the LP well scaled (large equal terms on every option once gave SCIP numerical trouble).
        var objective = solver.Objective();
        var offset = 0.0;
        for (var i = 0; i < options.Count; i++)
        {
            var line = options[i].Line;
            var worth = problem.Worth(line);
            var today = line.Response(line.CurrentSpend);
            if (options[i].Runs.Count > 0) offset += worth * today;
            for (var r = 0; r < options[i].Runs.Count; r++)
            {
                var run = options[i].Runs[r];
                var w = line.CautionWeight((run.Start + run.End) / 2);
                var spendCost = problem.Objective == Objective.Profit ? 1 : 0;
                objective.SetCoefficient(choose[i][r], worth * w * (run.StartResponse - today) - spendCost * run.Start);
                for (var j = 0; j < run.Lengths.Length; j++) objective.SetCoefficient(fill[i][r][j], worth * w * run.Slopes[j] - spendCost);
            }
        }
        objective.SetOffset(offset);
        objective.SetMaximization();
        return new AllocationModel(solver, problem, options, choose, fill, budget, payback, clvCac);
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
