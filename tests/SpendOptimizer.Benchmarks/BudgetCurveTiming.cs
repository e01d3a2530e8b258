using System.Diagnostics;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Benchmarks;

/// <summary>Time of a budget curve (13 points, −30% to +30% by 5%) on seeded problems with caution and 200 draws, one point at a time and side by side.</summary>
public static class BudgetCurveTiming
{
    public static IEnumerable<string> Run(int lines, int repeats)
    {
        Allocator.Solve(SyntheticAllocation.Problem(10, 0)); // load the native solver once
        var changes = BudgetCurve.Changes(-0.3, 0.3, 0.05);
        foreach (var parallelism in new[] { 1, 2 })
        {
            var times = new List<double>();
            var plans = 0;
            for (var k = 0; k < repeats; k++)
            {
                var problem = SyntheticAllocation.WithCaution(SyntheticAllocation.Problem(lines, k + 1), k + 1);
                var rng = new SeededRandom(1000 + k);
                var draws = Enumerable.Range(0, 200).Select(_ => problem.Lines.Select(l =>
                {
                    var f = rng.LogNormalFactor(0.3);
                    return (Func<double, double>)(s => f * l.Response(s));
                }).ToArray()).ToList();
                var clock = Stopwatch.StartNew();
                var points = BudgetCurve.Solve(problem, changes, draws, parallelism: parallelism);
                times.Add(clock.Elapsed.TotalMilliseconds);
                plans = points.Count(p => p.Plan.HasPlan);
            }
            times.Sort();
            yield return $"| {lines} | {changes.Count} | {parallelism} | {times[times.Count / 2]:F0} ms | {times[0]:F0} ms | {times[^1]:F0} ms | {plans} of {changes.Count} |";
        }
    }
}
