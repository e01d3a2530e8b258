using BenchmarkDotNet.Attributes;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of one plan's cost: the MIP as the timing table builds it, the same with caution weights on
/// every line (same model size, other coefficients), the weights' own cost from 200 draws per line, and the test values
/// of the 12 lines with the widest doubt (5 solves each, as the service does by default).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AllocationMicro
{
    [Params(50, 1000)]
    public int Lines { get; set; }

    private AllocationProblem plain = null!;
    private AllocationProblem cautious = null!;
    private List<Func<double, double>[]> draws = null!;
    private double[] plan = null!;

    [GlobalSetup]
    public void Setup()
    {
        plain = SyntheticAllocation.Problem(Lines, seed: 1);
        cautious = SyntheticAllocation.WithCaution(plain, seed: 1);
        var rng = new SeededRandom(1);
        draws = Enumerable.Range(0, 200).Select(_ => plain.Lines.Select(l =>
        {
            var f = rng.LogNormalFactor(0.3);
            return (Func<double, double>)(s => f * l.Response(s));
        }).ToArray()).ToList();
        plan = Allocator.Solve(cautious).Lines.Select(l => l.Recommended).ToArray();
    }

    [Benchmark(Baseline = true)]
    public double Solve() => Allocator.Solve(plain).RecommendedObjective;

    [Benchmark]
    public double SolveWithCaution() => Allocator.Solve(cautious).RecommendedObjective;

    [Benchmark]
    public double CautionWeights() => SyntheticAllocation.WithCaution(plain, seed: 1).Lines.Sum(l => l.RiseWeight);

    [Benchmark]
    public double TestValues() => InformationValue.PerLine(cautious, plan, draws, maxLines: 12).Sum(v => v ?? 0);
}
