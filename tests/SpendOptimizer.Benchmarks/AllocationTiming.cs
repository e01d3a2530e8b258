using System.Diagnostics;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Simulation;

namespace SpendOptimizer.Benchmarks;

/// <summary>Solve time of the allocation MIP by number of lines (channels × campaigns), median of repeated solves.</summary>
public static class AllocationTiming
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
            list.Add(new AllocationLine($"channel{i % 12}/campaign{i / 12}", s0, s => s <= 0 ? 0 : beta / (1 + Math.Pow(kappa / s, alpha)),
                customers, rng.Uniform(50, 300), cac * rng.Uniform(2, 6), cac / rng.Uniform(3, 18), rng.Uniform() < 0.05));
        }
        return new AllocationProblem(list, MaxPaybackMonths: 24, MinClvCac: 1.5);
    }

    public static IEnumerable<string> Run(int[] sizes, int repeats)
    {
        Allocator.Solve(Problem(10, 0)); // load the native solver once
        foreach (var n in sizes)
        {
            var times = new List<double>();
            AllocationResult? last = null;
            for (var k = 0; k < repeats; k++)
            {
                var problem = Problem(n, k + 1);
                var clock = Stopwatch.StartNew();
                last = Allocator.Solve(problem);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            yield return $"| {n} | {times[times.Count / 2]:F1} ms | {times[0]:F1} ms | {times[^1]:F1} ms | {last!.Status} | {last.Binaries} | {last.Constraints} | {last.RelativeGap:G2} | {last.ApproximationError / Math.Max(1, Math.Abs(last.RecommendedObjective)):G2} |";
        }
    }
}
