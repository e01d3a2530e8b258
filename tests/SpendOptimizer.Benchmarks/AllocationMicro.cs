using BenchmarkDotNet.Attributes;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Simulation;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of one plan's cost: the MIP as the timing table builds it, the same with caution weights on
/// every line (same model size, other coefficients), and the weights' own cost from 200 draws per line.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AllocationMicro
{
    [Params(50, 1000)]
    public int Lines { get; set; }

    private AllocationProblem plain = null!;
    private AllocationProblem cautious = null!;

    [GlobalSetup]
    public void Setup()
    {
        plain = SyntheticAllocation.Problem(Lines, seed: 1);
        cautious = SyntheticAllocation.WithCaution(plain, seed: 1);
    }

    [Benchmark(Baseline = true)]
    public double Solve() => Allocator.Solve(plain).RecommendedObjective;

    [Benchmark]
    public double SolveWithCaution() => Allocator.Solve(cautious).RecommendedObjective;

    [Benchmark]
    public double CautionWeights() => SyntheticAllocation.WithCaution(plain, seed: 1).Lines.Sum(l => l.RiseWeight);
}
