using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Numerics;
using static SpendOptimizer.Core.Tests.Attribution.PathFixtures;

namespace SpendOptimizer.Core.Tests.Attribution;

public sealed class DataDrivenAttributionTests
{
    /// <summary>Journeys where touching "driver" triples the conversion odds and "noise" does nothing.</summary>
    private static PathSet World(int seed)
    {
        var rng = new SeededRandom(seed);
        var builder = new PathSetBuilder();
        string[] names = ["driver", "noise", "other"];
        for (var j = 0; j < 20_000; j++)
        {
            var length = rng.Integer(1, 4);
            var path = Enumerable.Range(0, length).Select(_ => names[rng.Integer(0, 3)]).ToArray();
            var p = path.Contains("driver") ? 0.15 : 0.05;
            var converted = rng.Uniform() < p;
            builder.Add(path, converted ? 1 : 0, converted ? 100 : 0, converted ? 0 : 1);
        }
        return builder.Build();
    }

    [Fact]
    public void ChannelThatDrivesConversionsGetsTheMostCreditAndCreditsAddUp()
    {
        var paths = World(1);
        var (result, quality) = DataDrivenAttribution.Run(paths, seed: 3);
        AssertSumsToTotals(result, paths.TotalConversions, paths.TotalValue);
        Assert.True(result["driver"]!.Conversions > 2 * result["noise"]!.Conversions,
            $"driver {result["driver"]!.Conversions:F1}, noise {result["noise"]!.Conversions:F1}");
        Assert.InRange(quality.Auc, 0.6, 1.0);
        Assert.True(quality.HoldoutWeight > 0.1 * (quality.TrainWeight + quality.HoldoutWeight));
    }

    [Fact]
    public void SameSeedGivesTheSameCredits()
    {
        var paths = PathSet.From(Random(8, 300));
        var a = DataDrivenAttribution.Run(paths, seed: 5).Result;
        var b = DataDrivenAttribution.Run(paths, seed: 5).Result;
        Assert.Equal(a.Credits, b.Credits);
    }

    [Fact]
    public void WeightedAucOnHandCases()
    {
        Assert.Equal(1, DataDrivenAttribution.WeightedAuc([(0.9, 2, 0), (0.1, 0, 3)]));
        Assert.Equal(0, DataDrivenAttribution.WeightedAuc([(0.1, 2, 0), (0.9, 0, 3)]));
        Assert.Equal(0.5, DataDrivenAttribution.WeightedAuc([(0.5, 2, 3)]));
        // one positive above one of two negatives: (1 + 0) / 2
        Assert.Equal(0.5, DataDrivenAttribution.WeightedAuc([(0.2, 0, 1), (0.5, 1, 0), (0.8, 0, 1)]));
    }
}
