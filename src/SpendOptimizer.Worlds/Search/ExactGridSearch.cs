using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Worlds.Search;

/// <summary>
/// The best plan over a grid of levels per line, found exactly by meet in the middle rather than by trying every
/// combination: the lines are split in two halves, each half's level combinations are listed with their spend and value,
/// and for every combination of the first half the best second-half combination whose spend keeps the total inside the
/// budget range is read off a sliding-window maximum over the second half sorted by spend. Work and memory are about
/// k^(n/2) for n lines of k levels (8 lines of 27 levels: two lists of half a million), instead of k^n.
/// Budget: Within and Cap use <see cref="AllocationProblem.BudgetRange"/>; Equal allows ±<c>equalTolerance</c> (relative),
/// since grid levels rarely add up to the budget exactly.
/// </summary>
public static class ExactGridSearch
{
    /// <param name="Value">The plan's objective as the plan is ranked (<see cref="AllocationProblem.PlanningValue"/>).</param>
    /// <param name="Plan">Spend per line, in the problem's line order.</param>
    public sealed record Result(double Value, double[] Plan);

    /// <summary>Best plan over <see cref="GridSearch.Levels"/> (keep, <paramref name="perSide"/> shares per side, limit cuts).</summary>
    public static Result? Best(AllocationProblem p, int perSide, double equalTolerance = 1e-9) =>
        Best(p, p.Lines.Select(l => (IReadOnlyList<double>)GridSearch.Levels(l, p, perSide)).ToList(), equalTolerance);

    /// <summary>Best plan with line i at one of <paramref name="levels"/>[i]; null when no combination meets the budget range.</summary>
    public static Result? Best(AllocationProblem p, IReadOnlyList<IReadOnlyList<double>> levels, double equalTolerance = 1e-9)
    {
        var n = p.Lines.Count;
        if (levels.Count != n) throw new ArgumentException("one list of levels per line is needed", nameof(levels));
        if (levels.Any(l => l.Count == 0)) return null;
        var (low, high) = p.BudgetMode == BudgetMode.Equal
            ? (p.TargetBudget * (1 - equalTolerance), p.TargetBudget * (1 + equalTolerance))
            : p.BudgetRange;
        var eps = Slack(high);
        low -= eps;
        high += eps;

        var values = levels.Select((lv, i) => lv.Select(s => p.PlanningValue(p.Lines[i], s)).ToArray()).ToList();
        var half = n / 2;
        var (aSpend, aValue) = Enumerate(levels, values, 0, half);
        var (bSpend, bValue) = Enumerate(levels, values, half, n);

        // First half by falling spend, so the window [low − a, high − a] on the second half's spend only moves up.
        var aOrder = Enumerable.Range(0, aSpend.Length).ToArray();
        Array.Sort(aOrder, (x, y) => aSpend[y].CompareTo(aSpend[x]));
        var bOrder = Enumerable.Range(0, bSpend.Length).ToArray();
        Array.Sort((double[])bSpend.Clone(), bOrder);

        var window = new int[bOrder.Length]; // positions in bOrder; values falling from head to tail
        int head = 0, tail = 0, next = 0;
        var best = double.NegativeInfinity;
        int bestA = -1, bestB = -1;
        foreach (var ia in aOrder)
        {
            var a = aSpend[ia];
            while (next < bOrder.Length && bSpend[bOrder[next]] <= high - a)
            {
                while (tail > head && bValue[bOrder[window[tail - 1]]] <= bValue[bOrder[next]]) tail--;
                window[tail++] = next++;
            }
            while (tail > head && bSpend[bOrder[window[head]]] < low - a) head++;
            if (tail == head) continue;
            var ib = bOrder[window[head]];
            var total = a + bSpend[ib];
            if (total < low || total > high) continue;
            var value = aValue[ia] + bValue[ib];
            if (value > best)
            {
                best = value;
                bestA = ia;
                bestB = ib;
            }
        }
        if (bestA < 0) return null;

        var plan = new double[n];
        Decode(levels, 0, half, bestA, plan);
        Decode(levels, half, n, bestB, plan);
        return new Result(best, plan);
    }

    /// <summary>How far a total may stray from the budget range by rounding alone; <see cref="GridSearch.Best(AllocationProblem, int, out double)"/> allows the same.</summary>
    internal static double Slack(double budget) => 1e-12 * Math.Max(1, Math.Abs(budget));

    /// <summary>Spend and value of every level combination of lines [from, to); combination c has line from + t at level (c / Π_{u&lt;t} k_u) mod k_t.</summary>
    private static (double[] Spend, double[] Value) Enumerate(IReadOnlyList<IReadOnlyList<double>> levels, IReadOnlyList<double[]> values, int from, int to)
    {
        var count = 1L;
        for (var i = from; i < to; i++) count *= levels[i].Count;
        if (count > 50_000_000) throw new InvalidOperationException($"{count} combinations in one half are too many to list");
        var spend = new double[count];
        var value = new double[count];
        var size = 1;
        for (var i = from; i < to; i++)
        {
            var k = levels[i].Count;
            for (var j = k - 1; j >= 0; j--)
                for (var c = 0; c < size; c++)
                {
                    spend[j * size + c] = spend[c] + levels[i][j];
                    value[j * size + c] = value[c] + values[i][j];
                }
            size *= k;
        }
        return (spend, value);
    }

    private static void Decode(IReadOnlyList<IReadOnlyList<double>> levels, int from, int to, int combination, double[] plan)
    {
        for (var i = from; i < to; i++)
        {
            plan[i] = levels[i][combination % levels[i].Count];
            combination /= levels[i].Count;
        }
    }
}
