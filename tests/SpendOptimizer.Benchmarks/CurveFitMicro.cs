using BenchmarkDotNet.Attributes;
using SpendOptimizer.Core.Response;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// Fitting one advertiser's curves (market world 101: 8 channels, 104 weeks) each on its own against fitted together with
/// the shared demand index (<see cref="DemandIndex.Rounds"/> more rounds of every fit), the price of the index.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CurveFitMicro
{
    [Params(0, DemandIndex.Rounds)]
    public int Rounds { get; set; }

    private List<(double[] Spend, double[] Response)> channels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var world = MarketWorld.Generate(101);
        var weeks = world.Performance.Select(p => p.Date).Distinct().Order().ToArray();
        channels = world.Channels.Select(c =>
        {
            var rows = world.Performance.Where(p => p.Channel == c.Name).ToDictionary(p => p.Date);
            return (weeks.Select(d => rows.TryGetValue(d, out var r) ? r.Spend : 0).ToArray(),
                    weeks.Select(d => rows.TryGetValue(d, out var r) ? r.Conversions : 0).ToArray());
        }).ToList();
    }

    [Benchmark]
    public double Fit() => DemandIndex.FitTogether(channels, rounds: Rounds).Fits.Sum(f => f.Curve.Beta);
}
