using Google.OrTools.LinearSolver;
using SpendOptimizer.Core.Allocation;
using Objective = SpendOptimizer.Core.Allocation.Objective;

namespace SpendOptimizer.Core.Planning;

/// <summary>How far a line's spend and adstock can get by each week (t from 0), band, bounds and lock applied.</summary>
/// <param name="Held">[week]: set where the line meets its per-line limits at no move and is held at the closest level (<see cref="PathHold"/>);
/// such a cell has no limit row, and its spend is that level unless the held cells are released.</param>
public sealed record PathRange(double[] SpendLow, double[] SpendHigh, double[] AdstockLow, double[] AdstockHigh, UnreachableLimit?[] Held)
{
    /// <summary>The first week (from 0) the line cannot be in its bounds, or null.</summary>
    public int? Unreachable => Enumerable.Range(0, SpendLow.Length).Cast<int?>().FirstOrDefault(t => SpendLow[t!.Value] > SpendHigh[t.Value]);

    /// <param name="held">The line's held weeks (<see cref="PathHold.Prefix"/>); null: none.</param>
    /// <param name="release">Held cells may take any spend the band allows (still without their limit rows): for when the held levels
    /// leave a budget out of reach, as the single week lets such lines move when nothing else reaches it.</param>
    public static PathRange Of(PathProblem problem, int line, UnreachableLimit?[]? held = null, bool release = false)
    {
        held ??= new UnreachableLimit?[problem.HorizonWeeks];
        var (l, curve, h) = (problem.Lines[line], problem.Curves[line], problem.HorizonWeeks);
        var theta = curve.Curve.Theta;
        var (sLow, sHigh, aLow, aHigh) = (new double[h], new double[h], new double[h], new double[h]);
        double prevLow = l.CurrentSpend, prevHigh = l.CurrentSpend, aPrevLow = curve.StartAdstock, aPrevHigh = curve.StartAdstock;
        var fixedSpend = l.Locked || l.CurrentSpend == 0;
        for (var t = 0; t < h; t++)
        {
            var low = fixedSpend ? prevLow : prevLow * (1 - problem.LargestShare);
            var high = fixedSpend ? prevHigh : prevHigh * (1 + problem.LargestShare);
            sLow[t] = Math.Max(low, l.Min ?? 0);
            // no line spends more in a week than the week (or the horizon) may spend: a tighter range needs fewer chords
            sHigh[t] = Math.Min(Math.Min(high, l.Max ?? double.PositiveInfinity), Math.Max(sLow[t], Math.Min(problem.WeekRange(t).High, problem.TotalRange?.High ?? double.PositiveInfinity)));
            if (held[t] is { } u && !release) sLow[t] = sHigh[t] = u.Level;
            aLow[t] = sLow[t] + theta * aPrevLow;
            aHigh[t] = sHigh[t] + theta * aPrevHigh;
            (prevLow, prevHigh, aPrevLow, aPrevHigh) = (sLow[t], sHigh[t], aLow[t], aHigh[t]);
        }
        return new PathRange(sLow, sHigh, aLow, aHigh, held);
    }
}

/// <summary>A cell's chords over adstock: one choice per run (a constant 1 when there is one run) and its pieces' fill.</summary>
public sealed record CellChords(List<Run> Runs, Variable[] Choice, Variable[][] Fill);

/// <summary>
/// The path MIP, built and not yet solved. Per line and week t (s₀ today's spend, A₀ the start adstock):
///   move: Σ_k z_k = 1 (keep, down, up; or the grid's points), Σ_k p_k = s_{t−1}, p_k ≤ S_{t−1}·z_k, low_k·p_k ≤ q_k ≤ high_k·p_k,
///         s_t = Σ_k q_k — the disjunction's hull, so the band is exact against the previous week's spend, whatever that is;
///   carry-over: A_t = s_t + θ·A_{t−1};
///   response: A_t and ŷ_t over concave runs of β·Hill's chords (<see cref="Presolve.Runs"/>): one run chosen, its pieces filled in order;
///   budget per week (and over the horizon), per-line limits s_t ≤ K·ŷ_t each week (not in a week the line is held for meeting them
///   at no move, <see cref="PathRange.Held"/>), blended limits per week or over the horizon.
/// A locked line, or one at 0 today, keeps its spend: its cells are constants. Maximises Σ worth·w_t·ŷ_t (− spend for profit),
/// w_t = 1 except the last week's 1/(1−θ).
/// </summary>
public sealed class PathModel : IDisposable
{
    public Solver Solver { get; }
    public PathProblem Problem { get; }
    public PathRange[] Ranges { get; }
    /// <summary>[line][week]</summary>
    public Variable[][] Spend { get; }
    public Variable[][] Response { get; }
    /// <summary>[line][week][move]; empty for a line that keeps its spend.</summary>
    public Variable[][][] Move { get; }
    public Variable[][] Adstock { get; }
    /// <summary>[line][week][move]: the previous week's spend (p) and this week's (q) when that move is chosen, else 0.</summary>
    public (Variable P, Variable Q)[][][] Split { get; }
    /// <summary>[line][week]: the cell's chords and their choice and fill variables.</summary>
    public CellChords[][] Cells { get; }
    public Constraint?[][] LineLimit { get; }
    /// <summary>Σ over cells of worth · weight · the largest |curve − chord|: how far the MIP's objective can be from the true one at any path.</summary>
    public double ApproximationBound { get; }
    public int Binaries { get; }

    private PathModel(Solver solver, PathProblem problem, PathRange[] ranges, Variable[][] spend, Variable[][] response, Variable[][][] move,
        Variable[][] adstock, (Variable, Variable)[][][] split, CellChords[][] chords, Constraint?[][] lineLimit, double error, int binaries)
    {
        Solver = solver;
        Problem = problem;
        Ranges = ranges;
        Spend = spend;
        Response = response;
        Move = move;
        Adstock = adstock;
        Split = split;
        Cells = chords;
        LineLimit = lineLimit;
        ApproximationBound = error;
        Binaries = binaries;
    }

    public static PathModel Build(PathProblem problem, PathRange[] ranges, string solverId = "SCIP")
    {
        var solver = Solver.CreateSolver(solverId) ?? throw new InvalidOperationException($"solver {solverId} is not available");
        var rules = problem.Rules;
        var (n, h) = (problem.Lines.Count, problem.HorizonWeeks);
        var moves = problem.Moves();
        var spend = new Variable[n][];
        var response = new Variable[n][];
        var move = new Variable[n][][];
        var adstocks = new Variable[n][];
        var splits = new (Variable, Variable)[n][][];
        var chords = new CellChords[n][];
        var lineLimit = new Constraint?[n][];
        var error = 0.0;
        var binaries = 0;
        for (var i = 0; i < n; i++)
        {
            var (l, curve, range) = (problem.Lines[i], problem.Curves[i], ranges[i]);
            var name = l.Name;
            var keeps = l.Locked || l.CurrentSpend == 0;
            spend[i] = new Variable[h];
            response[i] = new Variable[h];
            lineLimit[i] = new Constraint?[h];
            move[i] = keeps ? [] : new Variable[h][];
            adstocks[i] = new Variable[h];
            chords[i] = new CellChords[h];
            splits[i] = keeps ? [] : new (Variable, Variable)[h][];
            Variable? previousAdstock = null;
            for (var t = 0; t < h; t++)
            {
                spend[i][t] = solver.MakeNumVar(range.SpendLow[t], range.SpendHigh[t], $"s[{name},{t}]");
                if (!keeps)
                {
                    // the band against the previous week: the hull of keep ∪ down ∪ up
                    var previousHigh = t == 0 ? l.CurrentSpend : range.SpendHigh[t - 1];
                    var previousLow = t == 0 ? l.CurrentSpend : range.SpendLow[t - 1];
                    var one = solver.MakeConstraint(1, 1, $"one_move[{name},{t}]");
                    var split = solver.MakeConstraint(t == 0 ? l.CurrentSpend : 0, t == 0 ? l.CurrentSpend : 0, $"split[{name},{t}]");
                    if (t > 0) split.SetCoefficient(spend[i][t - 1], -1);
                    var sum = solver.MakeConstraint(0, 0, $"moved[{name},{t}]");
                    sum.SetCoefficient(spend[i][t], -1);
                    move[i][t] = new Variable[moves.Count];
                    splits[i][t] = new (Variable, Variable)[moves.Count];
                    for (var k = 0; k < moves.Count; k++)
                    {
                        var (low, high) = moves[k];
                        var z = solver.MakeBoolVar($"z[{name},{t},{k}]");
                        var p = solver.MakeNumVar(0, previousHigh, $"p[{name},{t},{k}]");
                        var q = solver.MakeNumVar(0, previousHigh * high, $"q[{name},{t},{k}]");
                        move[i][t][k] = z;
                        splits[i][t][k] = (p, q);
                        binaries++;
                        one.SetCoefficient(z, 1);
                        split.SetCoefficient(p, 1);
                        sum.SetCoefficient(q, 1);
                        Row(solver, double.NegativeInfinity, 0, $"p_only_if_chosen[{name},{t},{k}]", (p, 1), (z, -previousHigh));
                        Row(solver, 0, double.PositiveInfinity, $"p_floor[{name},{t},{k}]", (p, 1), (z, -previousLow));
                        Row(solver, 0, double.PositiveInfinity, $"q_low[{name},{t},{k}]", (q, 1), (p, -low));
                        Row(solver, double.NegativeInfinity, 0, $"q_high[{name},{t},{k}]", (q, 1), (p, -high));
                    }
                }

                // A_t = s_t + θ·A_{t−1}, and ŷ_t on the chords of β·Hill over A_t's reachable range
                var theta = curve.Curve.Theta;
                var adstock = solver.MakeNumVar(range.AdstockLow[t], range.AdstockHigh[t], $"A[{name},{t}]");
                var carry = solver.MakeConstraint(t == 0 ? theta * curve.StartAdstock : 0, t == 0 ? theta * curve.StartAdstock : 0, $"carry[{name},{t}]");
                carry.SetCoefficient(adstock, 1);
                carry.SetCoefficient(spend[i][t], -1);
                if (previousAdstock is not null) carry.SetCoefficient(previousAdstock, -theta);
                previousAdstock = adstocks[i][t] = adstock;

                var (runs, runError) = Chords(curve, range.AdstockLow[t], range.AdstockHigh[t], rules.RelativeApproximationError);
                error += rules.Worth(l) * (t == h - 1 ? curve.LastWeekWeight : 1) * runError;
                response[i][t] = solver.MakeNumVar(0, double.PositiveInfinity, $"y[{name},{t}]");
                var onA = solver.MakeConstraint(0, 0, $"adstock_runs[{name},{t}]");
                onA.SetCoefficient(adstock, -1);
                var onY = solver.MakeConstraint(0, 0, $"response_runs[{name},{t}]");
                onY.SetCoefficient(response[i][t], -1);
                var oneRun = runs.Count > 1 ? solver.MakeConstraint(1, 1, $"one_run[{name},{t}]") : null;
                chords[i][t] = new CellChords(runs, new Variable[runs.Count], new Variable[runs.Count][]);
                for (var r = 0; r < runs.Count; r++)
                {
                    var run = runs[r];
                    var c = oneRun is null ? solver.MakeNumVar(1, 1, $"run[{name},{t},{r}]") : solver.MakeBoolVar($"run[{name},{t},{r}]");
                    if (oneRun is not null) { oneRun.SetCoefficient(c, 1); binaries++; }
                    chords[i][t].Choice[r] = c;
                    chords[i][t].Fill[r] = new Variable[run.Lengths.Length];
                    onA.SetCoefficient(c, run.Start);
                    onY.SetCoefficient(c, run.StartResponse);
                    for (var j = 0; j < run.Lengths.Length; j++)
                    {
                        var f = solver.MakeNumVar(0, run.Lengths[j], $"fill[{name},{t},{r},{j}]");
                        chords[i][t].Fill[r][j] = f;
                        onA.SetCoefficient(f, 1);
                        onY.SetCoefficient(f, run.Slopes[j]);
                        if (oneRun is not null) Row(solver, double.NegativeInfinity, 0, $"fill_only_if_chosen[{name},{t},{r},{j}]", (f, 1), (c, -run.Lengths[j]));
                    }
                }

                // per-line limits, each week: s_t ≤ K·ŷ_t
                var k2 = rules.PerChannelLimits && !l.Locked ? rules.SpendPerConversionLimit(l) : double.PositiveInfinity;
                if (double.IsFinite(k2) && range.Held[t] is null) lineLimit[i][t] = Row(solver, double.NegativeInfinity, 0, $"line_limit[{name},{t}]", (spend[i][t], 1), (response[i][t], -k2));
            }
        }

        AddBudget(solver, problem, spend);
        AddBlended(solver, problem, spend, response);

        var objective = solver.Objective();
        for (var i = 0; i < n; i++)
        {
            var worth = rules.Worth(problem.Lines[i]);
            for (var t = 0; t < h; t++)
            {
                objective.SetCoefficient(response[i][t], worth * (t == h - 1 ? problem.Curves[i].LastWeekWeight : 1));
                if (rules.Objective == Objective.Profit) objective.SetCoefficient(spend[i][t], -1);
            }
        }
        objective.SetMaximization();
        return new PathModel(solver, problem, ranges, spend, response, move, adstocks, splits, chords, lineLimit, error, binaries);
    }

    /// <summary>Pieces at most per cell below the curve's inflection, each a binary: enough to follow the S, few enough to branch on.</summary>
    public const int ConvexPieces = 6;

    /// <summary>
    /// Chords of β·Hill over [low, high] as concave runs, and the largest |curve − chord| on them. Above Hill's inflection the curve is
    /// concave: one run, breakpoints to the tolerance. Below it (α &gt; 1) each chord is its own run, so at most
    /// <see cref="ConvexPieces"/> equal ones are kept there.
    /// </summary>
    public static (List<Run> Runs, double Error) Chords(PathCurve curve, double low, double high, double relativeError)
    {
        var (g, c) = ((Func<double, double>)curve.Response, curve.Curve);
        var inflection = c.Alpha > 1 ? c.Kappa * Math.Pow((c.Alpha - 1) / (c.Alpha + 1), 1 / c.Alpha) : 0;
        var (runs, error) = Presolve.Runs(g, low, high, Edge.None, Edge.None, relativeError);
        if (runs.Count <= ConvexPieces + 1 || inflection <= low) return (runs, error);
        var split = Math.Min(inflection, high);
        var (above, aboveError) = split < high ? Presolve.Runs(g, split, high, Edge.None, Edge.None, relativeError) : ([], 0.0);
        var below = new List<Run>();
        var belowError = 0.0;
        for (var k = 0; k < ConvexPieces; k++)
        {
            var (a, b) = (low + (split - low) * k / ConvexPieces, low + (split - low) * (k + 1) / ConvexPieces);
            var slope = (g(b) - g(a)) / (b - a);
            for (var i = 1; i < 16; i++)
            {
                var x = a + (b - a) * i / 16;
                belowError = Math.Max(belowError, Math.Abs(g(x) - g(a) - slope * (x - a)));
            }
            below.Add(new Run(a, g(a), [b - a], [slope], Edge.None, Edge.None, IsKeep: false));
        }
        return ([.. below, .. above], Math.Max(belowError, aboveError));
    }

    private static void AddBudget(Solver solver, PathProblem problem, Variable[][] spend)
    {
        for (var t = 0; t < problem.HorizonWeeks; t++)
        {
            var (low, high) = problem.WeekRange(t);
            if (low <= 0 && double.IsPositiveInfinity(high)) continue;
            var week = solver.MakeConstraint(low, high, $"budget[{t}]");
            foreach (var s in spend) week.SetCoefficient(s[t], 1);
        }
        if (problem.TotalRange is not { } total) return;
        var all = solver.MakeConstraint(total.Low, total.High, "budget_total");
        foreach (var s in spend) foreach (var v in s) all.SetCoefficient(v, 1);
    }

    /// <summary>Σ spend ≤ P·Σ margin·cust·ŷ and Σ CLV·cust·ŷ ≥ R·Σ spend, per week or over the horizon.</summary>
    private static void AddBlended(Solver solver, PathProblem problem, Variable[][] spend, Variable[][] response)
    {
        var rules = problem.Rules;
        if (!rules.BlendedLimits) return;
        var groups = problem.BlendedOver == BlendedOver.Horizon
            ? [Enumerable.Range(0, problem.HorizonWeeks).ToArray()]
            : Enumerable.Range(0, problem.HorizonWeeks).Select(t => new[] { t }).ToArray();
        foreach (var weeks in groups)
        {
            var label = weeks.Length == 1 ? $"{weeks[0]}" : "horizon";
            if (rules.MaxPaybackMonths is { } p)
            {
                var row = solver.MakeConstraint(double.NegativeInfinity, 0, $"blended_payback[{label}]");
                for (var i = 0; i < spend.Length; i++)
                    foreach (var t in weeks)
                    {
                        row.SetCoefficient(spend[i][t], 1);
                        row.SetCoefficient(response[i][t], -p * problem.Lines[i].MonthlyMarginPerCustomer * problem.Lines[i].CustomersPerConversion);
                    }
            }
            if (rules.MinClvCac is { } r && r > 0)
            {
                var row = solver.MakeConstraint(0, double.PositiveInfinity, $"blended_clv_cac[{label}]");
                for (var i = 0; i < spend.Length; i++)
                    foreach (var t in weeks)
                    {
                        row.SetCoefficient(spend[i][t], -r);
                        row.SetCoefficient(response[i][t], problem.Lines[i].Clv * problem.Lines[i].CustomersPerConversion);
                    }
            }
        }
    }

    private static Constraint Row(Solver solver, double low, double high, string name, params (Variable V, double C)[] terms)
    {
        var c = solver.MakeConstraint(low, high, name);
        foreach (var (v, coefficient) in terms) c.SetCoefficient(v, coefficient);
        return c;
    }

    /// <summary>Solves to <paramref name="relativeGap"/> within the time limit; the gap reached is reported either way.</summary>
    public Solver.ResultStatus Solve(double timeLimitSeconds, double relativeGap)
    {
        Solver.SetTimeLimit((long)(timeLimitSeconds * 1000));
        using var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, relativeGap);
        return Solver.Solve(parameters);
    }

    /// <summary>
    /// Offers SCIP a path [line][week] to start from: every variable's value, so SCIP can check it as it is; a cell whose move
    /// fits none of the moves leaves the hint partial, for SCIP to complete.
    /// </summary>
    public void Hint(double[][] path)
    {
        var moves = Problem.Moves().ToList();
        var (variables, values) = (new List<Variable>(), new List<double>());
        for (var i = 0; i < path.Length; i++)
        {
            var previous = Problem.Lines[i].CurrentSpend;
            var adstock = Problem.Curves[i].StartAdstock;
            for (var t = 0; t < path[i].Length; t++)
            {
                var s = path[i][t];
                adstock = s + Problem.Curves[i].Curve.Theta * adstock;
                variables.AddRange([Spend[i][t], Adstock[i][t]]);
                values.AddRange([s, adstock]);
                var cell = Cells[i][t];
                var on = cell.Runs.FindIndex(r => adstock <= r.End);
                if (on < 0) on = cell.Runs.Count - 1;
                var y = 0.0;
                for (var r = 0; r < cell.Runs.Count; r++)
                {
                    var run = cell.Runs[r];
                    variables.Add(cell.Choice[r]);
                    values.Add(r == on ? 1 : 0);
                    var left = r == on ? Math.Max(0, adstock - run.Start) : 0;
                    if (r == on) y = run.StartResponse;
                    for (var j = 0; j < run.Lengths.Length; j++)
                    {
                        var f = Math.Min(left, run.Lengths[j]);
                        left -= f;
                        y += f * run.Slopes[j];
                        variables.Add(cell.Fill[r][j]);
                        values.Add(f);
                    }
                }
                variables.Add(Response[i][t]);
                values.Add(y);
                if (Move[i].Length > 0)
                {
                    var tolerance = 1e-9 * Math.Max(1, previous);
                    var chosen = moves.FindIndex(m => s >= m.Low * previous - tolerance && s <= m.High * previous + tolerance);
                    if (chosen >= 0)
                        for (var k = 0; k < moves.Count; k++)
                        {
                            variables.AddRange([Move[i][t][k], Split[i][t][k].P, Split[i][t][k].Q]);
                            values.AddRange(k == chosen ? [1, previous, s] : [0, 0, 0]);
                        }
                }
                previous = s;
            }
        }
        Solver.SetHint([.. variables], [.. values]);
    }

    /// <summary>The move chosen for a line in a week (index into <see cref="PathProblem.Moves"/>), or null for a line that keeps its spend.</summary>
    public int? ChosenMove(int line, int week)
    {
        var m = Move[line];
        if (m.Length == 0) return null;
        var best = 0;
        for (var k = 1; k < m[week].Length; k++) if (m[week][k].SolutionValue() > m[week][best].SolutionValue()) best = k;
        return best;
    }

    public void Dispose() => Solver.Dispose();
}
