using BenchmarkDotNet.Attributes;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Simulation;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of one plan's cost: the MIP as the timing table builds it, the same with caution weights on
/// every line (same model size, other coefficients), and the weights' own cost from 200 posterior draws per line.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AllocationMicro
{
    [Params(50, 1000)]
    public int Lines { get; set; }

    private AllocationProblem plain = null!;
    private AllocationProblem cautious = null!;
    private List<Func<double, double>>[] draws = null!;

    [GlobalSetup]
    public void Setup()
    {
        plain = AllocationTiming.Problem(Lines, seed: 1);
        var rng = new SeededRandom(2);
        // Each line's draws scale its curve by a factor around 1, as an incrementality factor's draws do.
        draws = plain.Lines.Select(l => Enumerable.Range(0, 200).Select(_ => rng.LogNormalFactor(0.3))
            .Select(f => (Func<double, double>)(s => f * l.Response(s))).ToList()).ToArray();
        cautious = plain with { Lines = plain.Lines.Select((l, i) =>
        {
            var (rise, fall) = Caution.Weights(l.Response, draws[i], l.CurrentSpend, plain.BandMax, 0.4);
            return l with { RiseWeight = rise, FallWeight = fall };
        }).ToList() };
    }

    [Benchmark(Baseline = true)]
    public double Solve() => Allocator.Solve(plain).RecommendedObjective;

    [Benchmark]
    public double SolveWithCaution() => Allocator.Solve(cautious).RecommendedObjective;

    [Benchmark]
    public double CautionWeights() =>
        plain.Lines.Select((l, i) => Caution.Weights(l.Response, draws[i], l.CurrentSpend, plain.BandMax, 0.4).Rise).Sum();
}
