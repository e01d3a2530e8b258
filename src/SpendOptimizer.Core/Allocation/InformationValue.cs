namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// What knowing one line's response exactly before planning would be worth: its expected value of partial perfect
/// information. The line's posterior draws are cut into equally likely strata by how much they change over the band;
/// for each stratum's middle draw, the plan re-chosen knowing that curve is set against the plan chosen in doubt, both
/// valued on that curve (the other lines as the plan sees them). A line whose doubt cannot change the plan is worth
/// nothing to test; where doubt is wide and decides moves, a lift test pays back in better plans.
/// </summary>
public static class InformationValue
{
    /// <param name="plan">The spend per line chosen under uncertainty.</param>
    /// <param name="draws">Per draw, one response curve per line (the problem's order).</param>
    /// <param name="maxLines">How many lines to value, each at the cost of <paramref name="strata"/> solves: all of them when
    /// there are no more, else those whose doubt is widest (<see cref="Widest"/>); the others get null.</param>
    /// <param name="clv">Per draw, one CLV per line (<see cref="ClvDraws.Draw"/>): a line's doubt is then of its curve and its CLV
    /// together, strata ordered by the band's change in value; null: each line's own CLV.</param>
    /// <returns>Per line, the expected gain in the planning objective per week, or null when not valued.</returns>
    public static double?[] PerLine(AllocationProblem problem, IReadOnlyList<double> plan, IReadOnlyList<Func<double, double>[]> draws,
        int maxLines, int strata = 5, double[][]? clv = null)
    {
        var values = new double?[problem.Lines.Count];
        if (strata < 1 || draws.Count < strata || maxLines < 1) return values;
        var lines = problem.Lines.Count <= maxLines ? Enumerable.Range(0, problem.Lines.Count).ToHashSet() : Widest(problem, draws, maxLines, clv);
        // One independent solve per (line, stratum): spread over the cores, summed per line in a fixed order.
        var jobs = lines.Order().SelectMany(c => Enumerable.Range(0, strata).Select(k => (Line: c, Stratum: k))).ToArray();
        var sorted = lines.ToDictionary(c => c, c => Enumerable.Range(0, draws.Count).OrderBy(k => Change(problem, draws, clv, k, c)).ToList());
        var gains = new double[jobs.Length];
        Parallel.For(0, jobs.Length, j =>
        {
            var (c, k) = jobs[j];
            if (problem.Lines[c].Locked) return;
            var d = sorted[c][(2 * k + 1) * sorted[c].Count / (2 * strata)];
            var known = problem with { Lines = problem.Lines.Select((l, i) => i == c ? ClvDraws.Drawn(l, draws[d][c], clv, d, c) with { RiseWeight = 1, FallWeight = 1 } : l).ToList() };
            var result = Allocator.Solve(known);
            if (!result.HasPlan) return; // knowing this curve, no plan meets the limits: nothing to set against today's
            // the re-chosen plan is optimal for this curve; below zero is the piecewise-linear tolerance
            gains[j] = Math.Max(0, Allocator.PlanningValue(known, result.Lines.Select(l => l.Recommended).ToList()) - Allocator.PlanningValue(known, plan));
        });
        for (var j = 0; j < jobs.Length; j++) values[jobs[j].Line] = (values[jobs[j].Line] ?? 0) + gains[j] / strata;
        return values;
    }

    /// <summary>
    /// The lines most worth valuing when there are too many to value all: by the spread (p90 − p10) of what their
    /// draws say a full band's move changes, in objective units.
    /// </summary>
    public static HashSet<int> Widest(AllocationProblem problem, IReadOnlyList<Func<double, double>[]> draws, int count, double[][]? clv = null)
    {
        if (draws.Count == 0) return [];
        return Enumerable.Range(0, problem.Lines.Count)
            .Where(i => !problem.Lines[i].Locked)
            .OrderByDescending(i =>
            {
                var changes = Enumerable.Range(0, draws.Count).Select(k => Change(problem, draws, clv, k, i)).Order().ToArray();
                var worth = clv is null ? problem.Worth(problem.Lines[i]) : 1; // with drawn CLV, the changes are in value already
                return worth * (Quantiles.OfSorted(changes, 0.9) - Quantiles.OfSorted(changes, 0.1));
            })
            .Take(count)
            .ToHashSet();
    }

    /// <summary>What a full band's move changes in draw k of line i: in response, or in value when CLV is drawn.</summary>
    private static double Change(AllocationProblem problem, IReadOnlyList<Func<double, double>[]> draws, double[][]? clv, int k, int i)
    {
        var line = problem.Lines[i];
        var change = BandChange(draws[k][i], line, problem);
        return clv is null ? change : problem.Worth(line with { Clv = clv[k][i] }) * change;
    }

    private static double BandChange(Func<double, double> g, AllocationLine line, AllocationProblem problem) =>
        g(line.CurrentSpend * (1 + problem.BandMax)) - g(line.CurrentSpend * (1 - problem.BandMax));
}
