using System.Diagnostics;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Core.Planning;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Benchmarks;

/// <summary>Solve time of the path MIP (channels × weeks), median and p90 over seeded problems, with the gap each one reached (over those that found a path).</summary>
public static class PathTiming
{
    /// <summary>
    /// A path problem as the service poses one: Hill curves over adstock (α 0.7–2.5, θ 0–0.7), start adstock near the steady state,
    /// band 10–20%, the weekly budget today's total (equal), per-line payback ≤ 24 months and CLV:CAC ≥ 1.5, 5% of lines locked.
    /// </summary>
    public static PathProblem Problem(int channels, int weeks, int seed)
    {
        var rng = new SeededRandom(seed, 0x9a7e);
        var lines = new List<AllocationLine>();
        var curves = new List<PathCurve>();
        for (var i = 0; i < channels; i++)
        {
            var s0 = Math.Round(rng.Uniform(500, 50_000));
            var theta = rng.Uniform(0, 0.7);
            var alpha = rng.Uniform(0.7, 2.5);
            var a0 = s0 / (1 - theta);
            var kappa = a0 * rng.Uniform(0.3, 3);
            var cpa = rng.Uniform(20, 200);
            var beta = s0 / cpa * (1 + Math.Pow(kappa / a0, alpha));
            var curve = new HillAdstock(theta, alpha, kappa, beta);
            var customers = rng.Uniform(0.4, 1);
            var cac = cpa / customers;
            lines.Add(new AllocationLine($"c{i}", s0, curve.SteadyState, customers, rng.Uniform(50, 300), cac * rng.Uniform(2, 6), cac / rng.Uniform(3, 18),
                rng.Uniform() < 0.05));
            curves.Add(new PathCurve(curve, a0 * rng.Uniform(0.9, 1.1)));
        }
        return new PathProblem(new AllocationProblem(lines, MaxPaybackMonths: 24, MinClvCac: 1.5), curves, weeks);
    }

    /// <summary>One markdown row: <paramref name="count"/> problems of the size, solved one after another in this process.</summary>
    public static string Run(int channels, int weeks, int count)
    {
        PathPlanner.Solve(Problem(2, 2, 0)); // load the native solver once
        var times = new List<double>();
        var gaps = new List<double>();
        var (optimal, planned) = (0, 0);
        var binaries = 0;
        for (var k = 1; k <= count; k++)
        {
            var problem = Problem(channels, weeks, k);
            var clock = Stopwatch.StartNew();
            var result = PathPlanner.Solve(problem);
            times.Add(clock.Elapsed.TotalSeconds);
            if (result.HasPlan) { planned++; gaps.Add(result.RelativeGap); }
            if (result.Status == AllocationStatus.Optimal) optimal++;
            binaries = result.Binaries;
        }
        times.Sort();
        gaps.Sort();
        var gap = gaps.Count > 0 ? $"{Quantiles.OfSorted(gaps, 0.5):G2} | {gaps[^1]:G2}" : "– | –";
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        return $"| {channels} × {weeks} | {count} | {Quantiles.OfSorted(times, 0.5):F2} s | {Quantiles.OfSorted(times, 0.9):F2} s | {times[^1]:F2} s | {planned}/{count} | {optimal}/{count} | {gap} | {binaries} | {peak:F0} MiB |";
    }
}
