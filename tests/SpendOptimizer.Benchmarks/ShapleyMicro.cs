using BenchmarkDotNet.Attributes;
using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// The exact conversion-rate Shapley over every coalition (2^n·n work, twice: conversions and value) at 16 and at
/// its limit of 20 channels, on 20,000 seeded distinct paths of one to six touches.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ShapleyMicro
{
    [Params(16, 20)]
    public int Channels { get; set; }

    private PathSet paths = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new SeededRandom(1);
        var builder = new PathSetBuilder();
        var names = Enumerable.Range(0, Channels).Select(c => "ch" + c).ToArray();
        for (var p = 0; p < 20_000; p++)
        {
            var path = Enumerable.Range(0, rng.Integer(1, 7)).Select(_ => names[rng.Integer(0, Channels)]).ToList();
            var conversions = rng.Integer(0, 3);
            builder.Add(path, conversions, conversions * rng.Uniform(10, 100), rng.Integer(1, 30));
        }
        paths = builder.Build();
    }

    [Benchmark]
    public double Shapley() => ShapleyAttribution.Run(paths).Credits.Sum(c => c.Conversions);
}
