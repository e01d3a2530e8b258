using SpendOptimizer.Core.Attribution;
using static SpendOptimizer.Core.Tests.Attribution.PathFixtures;

namespace SpendOptimizer.Core.Tests.Attribution;

public sealed class HeuristicAndShapleyTests
{
    [Theory]
    [InlineData(1, new[] { 1.0 })]
    [InlineData(2, new[] { 0.5, 0.5 })]
    [InlineData(3, new[] { 0.4, 0.2, 0.4 })]
    [InlineData(4, new[] { 0.4, 0.1, 0.1, 0.4 })]
    public void PositionBasedGivesFortyTwentyForty(int touches, double[] expected)
    {
        var w = new double[touches];
        HeuristicAttribution.Weights(HeuristicModel.PositionBased, touches, 7, 0.4, 0.4, w);
        for (var i = 0; i < touches; i++) Assert.Equal(expected[i], w[i], 12);
    }

    [Fact]
    public void TimeDecayHalvesPerHalfLifeBeforeTheConversion()
    {
        // Half-life of one step: weights ∝ 1/4, 1/2, 1 → 1/7, 2/7, 4/7.
        var w = new double[3];
        HeuristicAttribution.Weights(HeuristicModel.TimeDecay, 3, 1, 0, 0, w);
        Assert.Equal(1.0 / 7, w[0], 12);
        Assert.Equal(2.0 / 7, w[1], 12);
        Assert.Equal(4.0 / 7, w[2], 12);
    }

    [Fact]
    public void FirstLastAndLinearOnAHandCase()
    {
        var paths = PathSet.From([P("a > b > c", 3, 300, 10), P("c", 1, 50, 0), P("b > a", 0, 0, 7)]);
        var first = HeuristicAttribution.Run(paths, HeuristicModel.FirstTouch);
        Assert.Equal(3, first["a"]!.Conversions);
        Assert.Equal(1, first["c"]!.Conversions);
        Assert.Equal(0, first["b"]!.Conversions);
        var last = HeuristicAttribution.Run(paths, HeuristicModel.LastTouch);
        Assert.Equal(4, last["c"]!.Conversions);
        Assert.Equal(350, last["c"]!.Value);
        var linear = HeuristicAttribution.Run(paths, HeuristicModel.Linear);
        Assert.Equal(1, linear["a"]!.Conversions, 12);
        Assert.Equal(2, linear["c"]!.Conversions, 12);
        Assert.Equal(150, linear["c"]!.Value, 12);
    }

    [Theory]
    [InlineData(HeuristicModel.FirstTouch)]
    [InlineData(HeuristicModel.LastTouch)]
    [InlineData(HeuristicModel.Linear)]
    [InlineData(HeuristicModel.TimeDecay)]
    [InlineData(HeuristicModel.PositionBased)]
    public void EveryHeuristicCreditsExactlyTheTotals(HeuristicModel model)
    {
        var records = Random(21, 400);
        var r = HeuristicAttribution.Run(PathSet.From(records), model, halfLife: 1.5);
        AssertSumsToTotals(r, records.Sum(x => x.TotalConversions), records.Sum(x => x.TotalConversionValue));
    }

    [Fact]
    public void ShapleyCountMatchesBruteForceOverAllPermutations()
    {
        var records = Random(3, 60, channels: 5, maxLength: 4);
        var paths = PathSet.From(records);
        var shapley = ShapleyCountAttribution.Run(paths);
        Assert.Equal("shapley_count", shapley.Model);
        AssertSumsToTotals(shapley, paths.TotalConversions, paths.TotalValue);

        // v(S) = conversions of paths whose channels all lie in S; average marginal contribution over all orders.
        var n = paths.Channels.Count;
        var sets = Enumerable.Range(0, paths.Count).Select(p => paths.Paths[p].Aggregate(0, (m, c) => m | 1 << c)).ToArray();
        double V(int coalition) => Enumerable.Range(0, paths.Count).Where(p => (sets[p] & ~coalition) == 0).Sum(p => paths.Conversions[p]);
        var phi = new double[n];
        var permutations = 0;
        foreach (var order in Permutations(Enumerable.Range(0, n).ToArray()))
        {
            permutations++;
            var coalition = 0;
            foreach (var i in order)
            {
                phi[i] += V(coalition | 1 << i) - V(coalition);
                coalition |= 1 << i;
            }
        }
        for (var i = 0; i < n; i++) Assert.Equal(phi[i] / permutations, shapley[paths.Channels[i]]!.Conversions, 9);
    }

    internal static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (var i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, j) => j != i).ToArray()))
                yield return [items[i], .. rest];
    }
}
