using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Worlds;

/// <summary>Seeded allocation problems of any size (channels × campaigns), for solve-time benchmarks and solver regressions.</summary>
public static class SyntheticAllocation
{
    public static AllocationProblem Problem(int lines, int seed)
    {
        var rng = new SeededRandom(seed);
        var list = new List<AllocationLine>();
        for (var i = 0; i < lines; i++)
        {
            var s0 = Math.Round(rng.Uniform(500, 50_000));
            var alpha = rng.Uniform(0.7, 2.5);
            var kappa = s0 * rng.Uniform(0.3, 3);
            var cpa = rng.Uniform(20, 200);
            var beta = s0 / cpa * (1 + Math.Pow(kappa / s0, alpha));
            var customers = rng.Uniform(0.4, 1);
            var cac = cpa / customers;
            // Today's CLV:CAC 2–6 and payback 3–18 months: inside the limits, which still bind on some moves.
            list.Add(new AllocationLine($"channel{i % 12}/campaign{i / 12}", s0, new ResponseCurve(ResponseShape.Hill, beta, kappa, Alpha: alpha).At,
                customers, rng.Uniform(50, 300), cac * rng.Uniform(2, 6), cac / rng.Uniform(3, 18), rng.Uniform() < 0.05));
        }
        return new AllocationProblem(list, MaxPaybackMonths: 24, MinClvCac: 1.5);
    }

    /// <summary>
    /// Seeded problems of 1–6 lines (one more line per seed, cycling), small enough for exhaustive search: equal or
    /// capped budget, bounds and locks, limits, a third of the lines cautious, any objective.
    /// </summary>
    public static AllocationProblem SmallProblem(int seed)
    {
        var rng = new SeededRandom(seed);
        var n = 1 + seed % 6;
        var lines = new List<AllocationLine>();
        for (var i = 0; i < n; i++)
        {
            var s0 = Math.Round(rng.Uniform(1_000, 50_000));
            var alpha = rng.Uniform(0.6, 2.5);
            var kappa = s0 * rng.Uniform(0.3, 3);
            var beta = s0 / rng.Uniform(20, 200) / (1 / (1 + Math.Pow(kappa / s0, alpha)));
            var locked = rng.Uniform() < 0.1;
            double? min = rng.Uniform() < 0.15 ? s0 * rng.Uniform(0.85, 1.0) : null;
            double? max = rng.Uniform() < 0.15 ? s0 * rng.Uniform(1.0, 1.15) : null;
            // A third of the lines carry caution: part of a rise counted on, a fall feared more than predicted.
            var cautious = rng.Uniform() < 0.35;
            lines.Add(new AllocationLine($"line{i}", s0, new ResponseCurve(ResponseShape.Hill, beta, kappa, Alpha: alpha).At,
                rng.Uniform(0.4, 1), rng.Uniform(50, 300), rng.Uniform(100, 2000), rng.Uniform(10, 80), locked, min, max,
                RiseWeight: cautious ? rng.Uniform(0.2, 1) : 1, FallWeight: cautious ? rng.Uniform(1, 2) : 1));
        }
        var mode = rng.Uniform() < 0.7 ? BudgetMode.Equal : BudgetMode.Cap;
        return new AllocationProblem(lines,
            Budget: lines.Sum(l => l.CurrentSpend) * (mode == BudgetMode.Cap ? rng.Uniform(0.9, 1.1) : 1),
            BudgetMode: mode,
            MaxPaybackMonths: rng.Uniform() < 0.5 ? rng.Uniform(4, 30) : null,
            MinClvCac: rng.Uniform() < 0.5 ? rng.Uniform(0.5, 4) : null,
            Objective: (Objective)rng.Integer(0, 4));
    }

    /// <summary>
    /// The problem as the service poses it: each line weighted by <see cref="Caution"/> from 200 draws that scale its
    /// curve by a factor around 1 (sd 30%), as an incrementality factor's draws do.
    /// </summary>
    public static AllocationProblem WithCaution(AllocationProblem problem, int seed, double quantile = 0.4)
    {
        var rng = new SeededRandom(seed);
        return problem with { Lines = problem.Lines.Select(l =>
        {
            var draws = Enumerable.Range(0, 200).Select(_ => rng.LogNormalFactor(0.3)).Select(f => (Func<double, double>)(s => f * l.Response(s))).ToList();
            var (rise, fall) = Caution.Weights(l.Response, draws, l.CurrentSpend, problem.BandMax, quantile);
            return l with { RiseWeight = rise, FallWeight = fall };
        }).ToList() };
    }
}
