namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// Lagrangian fixing: removes the options that provably belong to no optimal plan before the MIP is built.
/// Pricing the budget at λ splits the model by line: each line takes its best option, and a run's best fill is the
/// pieces whose objective slope beats λ. For any λ, L(λ) = Σ best + λ·(the budget's side) bounds the MIP from above
/// (dropping blended limits only loosens it), and any plan meeting every constraint bounds it from below. Forcing a
/// line onto an option lowers L by what that option falls short of the line's best; when that bound drops under the
/// plan's value, no optimal plan takes the option. With one coupling constraint the two bounds all but meet, so
/// most lines keep a single option and the solver branches only on the few that are close calls.
/// </summary>
public static class OptionFixing
{
    private const int Halvings = 100;

    /// <summary>The options that may still be optimal (the same <see cref="Run"/> objects, in order), line by line.</summary>
    public static IReadOnlyList<LineOptions> Reduce(AllocationProblem problem, IReadOnlyList<LineOptions> options)
    {
        if (options.Any(o => o.Runs.Count == 0)) return options; // no plan at all: the caller reports the clash
        var lines = options.Select(o => new PricedLine(problem, o)).ToArray();
        var (low, high) = problem.BudgetRange;
        double Spend(double price)
        {
            var total = 0.0;
            foreach (var l in lines) total += l.Spend(price);
            return total;
        }

        // λ ≥ 0 prices spend above the top of the range, λ < 0 spend below its bottom; the bound is convex in λ and
        // least where the priced plan's spend crosses into the range.
        double below, above; // Spend(below) ≥ the range's side, Spend(above) ≤ it
        var atZero = Spend(0);
        if (atZero > high)
        {
            (below, above) = (0, 1);
            for (var k = 0; Spend(above) > high; k++) { if (k == 200) return options; below = above; above *= 2; }
            for (var k = 0; k < Halvings; k++) { var mid = (below + above) / 2; if (Spend(mid) > high) below = mid; else above = mid; }
        }
        else if (atZero < low)
        {
            (below, above) = (-1, 0);
            for (var k = 0; Spend(below) < low; k++) { if (k == 200) return options; above = below; below *= 2; }
            for (var k = 0; k < Halvings; k++) { var mid = (below + above) / 2; if (Spend(mid) < low) above = mid; else below = mid; }
        }
        else (below, above) = (0, 0);

        double Bound(double price) => lines.Sum(l => l.Best(price)) + price * (price >= 0 ? high : low);
        var price = Bound(below) <= Bound(above) ? below : above;
        var upper = Bound(price);
        var plans = new[] { below, above }.Select(at => Plan(problem, lines, at, low, high)).OfType<double>().ToList();
        if (plans.Count == 0) return options;
        var lower = plans.Max();

        // Round-off guard: an option stays unless it falls short by clearly more than the gap between the bounds.
        var slack = upper - lower + 1e-9 * (lines.Sum(l => Math.Abs(l.Best(price))) + Math.Abs(price) * high + 1);
        return lines.Select((l, i) =>
        {
            var best = l.Best(price);
            var kept = options[i].Runs.Where((_, r) => l.Value(r, price) >= best - slack).ToList();
            return kept.Count == options[i].Runs.Count ? options[i] : options[i] with { Runs = kept };
        }).ToList();
    }

    /// <summary>
    /// The plan the price suggests, repaired into the budget range by moving fill along the pieces worth most (or
    /// least) per unit; its objective if it meets the budget and the blended limits, else null.
    /// </summary>
    private static double? Plan(AllocationProblem problem, PricedLine[] lines, double price, double low, double high)
    {
        var picks = lines.Select(l => l.Pick(price)).ToArray();
        var spend = picks.Sum(p => p.Spend);
        var pieces = picks.SelectMany((p, i) => p.Run.Lengths.Select((len, j) => (Line: i, Piece: j, Len: len, Worth: lines[i].Pieces(p.Index)[j]))).ToList();
        if (spend > high)
            foreach (var x in pieces.Where(x => picks[x.Line].Fill[x.Piece] > 0).OrderBy(x => x.Worth))
            {
                var cut = Math.Min(picks[x.Line].Fill[x.Piece], spend - high);
                picks[x.Line].Fill[x.Piece] -= cut;
                spend -= cut;
                if (spend <= high) break;
            }
        else if (spend < low)
            foreach (var x in pieces.Where(x => picks[x.Line].Fill[x.Piece] < x.Len).OrderByDescending(x => x.Worth))
            {
                var add = Math.Min(x.Len - picks[x.Line].Fill[x.Piece], low - spend);
                picks[x.Line].Fill[x.Piece] += add;
                spend += add;
                if (spend >= low) break;
            }
        var scale = 1e-9 * Math.Max(1, high);
        if (spend > high + scale || spend < low - scale) return null;

        var value = 0.0;
        double paybackRow = 0, clvCacRow = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var (run, r, fill) = (picks[i].Run, picks[i].Index, picks[i].Fill);
            value += lines[i].Start(r) + fill.Select((f, j) => f * lines[i].Pieces(r)[j]).Sum();
            var line = lines[i].Line;
            var response = run.StartResponse + fill.Select((f, j) => f * run.Slopes[j]).Sum();
            if (problem.BlendedMaxPaybackMonths is { } p) paybackRow += picks[i].Spend - p * line.MonthlyMarginPerCustomer * line.CustomersPerConversion * response;
            if (problem.BlendedMinClvCac is { } ratio && ratio > 0) clvCacRow += line.Clv * line.CustomersPerConversion * response - ratio * picks[i].Spend;
        }
        if (paybackRow > 0 || clvCacRow < 0) return null;
        return value;
    }

    private sealed record Pick(Run Run, int Index, double[] Fill)
    {
        public double Spend => Run.Start + Fill.Sum();
    }

    /// <summary>A line's options with their objective coefficients, valued at a price on spend.</summary>
    private sealed class PricedLine(AllocationProblem problem, LineOptions options)
    {
        private readonly (double Start, double[] Pieces)[] terms = options.Runs.Select(r => AllocationModel.RunObjective(problem, options.Line, r)).ToArray();

        public AllocationLine Line => options.Line;
        public double Start(int r) => terms[r].Start;
        public double[] Pieces(int r) => terms[r].Pieces;

        /// <summary>Objective less price × spend, the run's worthwhile pieces filled.</summary>
        public double Value(int r, double price)
        {
            var run = options.Runs[r];
            var v = terms[r].Start - price * run.Start;
            for (var j = 0; j < run.Lengths.Length; j++) v += Math.Max(0, terms[r].Pieces[j] - price) * run.Lengths[j];
            return v;
        }

        public double Best(double price) => Value(BestRun(price), price);

        public Pick Pick(double price)
        {
            var best = BestRun(price);
            var run = options.Runs[best];
            return new Pick(run, best, run.Lengths.Select((len, j) => terms[best].Pieces[j] > price ? len : 0).ToArray());
        }

        /// <summary>The spend of <see cref="Pick"/>, without building it: called a few hundred times per line while pricing.</summary>
        public double Spend(double price)
        {
            var best = BestRun(price);
            var run = options.Runs[best];
            var spend = run.Start;
            for (var j = 0; j < run.Lengths.Length; j++) if (terms[best].Pieces[j] > price) spend += run.Lengths[j];
            return spend;
        }

        private int BestRun(double price)
        {
            var best = 0;
            for (var r = 1; r < options.Runs.Count; r++) if (Value(r, price) > Value(best, price)) best = r;
            return best;
        }
    }
}
