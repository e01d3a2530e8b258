using System.Diagnostics;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Benchmarks;

/// <summary>Solve time of the allocation MIP by number of lines (channels × campaigns), median of repeated solves.</summary>
public static class AllocationTiming
{
    /// <param name="caution">Solve the problems with caution weights, as the service does by default.</param>
    /// <param name="scope">Per-line limits (the default), or blended limits as well.</param>
    public static IEnumerable<string> Run(int[] sizes, int repeats, bool caution, LimitScope scope)
    {
        Allocator.Solve(SyntheticAllocation.Problem(10, 0)); // load the native solver once
        foreach (var n in sizes)
        {
            var times = new List<double>();
            AllocationResult? last = null;
            for (var k = 0; k < repeats; k++)
            {
                var problem = (caution ? SyntheticAllocation.WithCaution(SyntheticAllocation.Problem(n, k + 1), k + 1) : SyntheticAllocation.Problem(n, k + 1)) with { LimitScope = scope };
                var clock = Stopwatch.StartNew();
                last = Allocator.Solve(problem);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            yield return $"| {n} | {(caution ? "0.4" : "none")} | {(scope == LimitScope.Both ? "per line + blended" : "per line")} | {times[times.Count / 2]:F1} ms | {times[0]:F1} ms | {times[^1]:F1} ms | {last!.Status} | {last.Options} → {last.Binaries} | {last.Constraints} | {last.RelativeGap:G2} | {last.ApproximationError / Math.Max(1, Math.Abs(last.RecommendedObjective)):G2} |";
        }
    }
}
