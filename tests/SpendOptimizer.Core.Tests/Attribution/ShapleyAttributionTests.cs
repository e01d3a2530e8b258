using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Numerics;
using static SpendOptimizer.Core.Tests.Attribution.PathFixtures;

namespace SpendOptimizer.Core.Tests.Attribution;

public sealed class ShapleyAttributionTests
{
    // Solved on paper. Rates by distinct channel set: {a} 1/10, {b} 2/10, {a,b} (a > b and b > a > a together) 3/10,
    // {c} 0/10, {b,c} 1/10, {a,b,c} 5/10; {a,c} never seen. v(S) = best rate of the seen sets within S:
    // v(a) .1, v(b) .2, v(c) 0, v(ab) .3, v(ac) .1 (unseen: best of {a}, {c}), v(bc) .2 (its own .1 is below {b}), v(abc) .5.
    // φ_i = 1/3 v(i) + 1/6 (v(ij) − v(j)) + 1/6 (v(ik) − v(k)) + 1/3 (v(abc) − v(jk)):
    // φ_a = .1/3 + .1/6 + .1/6 + .3/3 = 1/6; φ_b = .2/3 + .2/6 + .2/6 + .4/3 = 4/15; φ_c = 0 + 0 + 0 + .2/3 = 1/15; Σ = .5.
    // 12 conversions: credits 12 · φ / .5 → a 4, b 6.4, c 1.6. Every conversion is worth 10, so value credits are × 10.
    private static readonly PathSet Paper = PathSet.From([
        P("a", 1, 10, 9), P("b", 2, 20, 8), P("a > b", 2, 20, 3), P("b > a > a", 1, 10, 4),
        P("c", 0, 0, 10), P("c > b", 1, 10, 9), P("a > b > c", 5, 50, 5)]);

    [Fact]
    public void ThreeChannelRateGameMatchesTheHandSolution()
    {
        var r = ShapleyAttribution.Run(Paper);
        Assert.Equal("shapley", r.Model);
        Assert.Equal(4, r["a"]!.Conversions, 1e-12);
        Assert.Equal(6.4, r["b"]!.Conversions, 1e-12);
        Assert.Equal(1.6, r["c"]!.Conversions, 1e-12);
        Assert.Equal(40, r["a"]!.Value, 1e-10);
        Assert.Equal(64, r["b"]!.Value, 1e-10);
        Assert.Equal(16, r["c"]!.Value, 1e-10);
    }

    [Fact]
    public void RateGameIsNotTheCountGame()
    {
        // The count game splits each conversion over its channels: a = 1 + 3/2 + 5/3, which the rate game does not give.
        Assert.Equal(1 + 1.5 + 5.0 / 3, ShapleyCountAttribution.Run(Paper)["a"]!.Conversions, 1e-12);
        Assert.NotEqual(ShapleyCountAttribution.Run(Paper)["a"]!.Conversions, ShapleyAttribution.Run(Paper)["a"]!.Conversions, 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MatchesBruteForceOverAllOrdersAndCreditsAddUpToTheTotals(int seed)
    {
        var paths = PathSet.From(Random(seed, 40, channels: 5, maxLength: 3));
        var r = ShapleyAttribution.Run(paths);
        AssertSumsToTotals(r, paths.TotalConversions, paths.TotalValue);

        // v straight from the definition: the best rate among the path groups whose channel set lies within S.
        var n = paths.Channels.Count;
        var sets = Enumerable.Range(0, paths.Count).Select(p => paths.Paths[p].Aggregate(0, (m, c) => m | 1 << c)).ToArray();
        double Rate(int set, Func<int, double> numerator)
        {
            var group = Enumerable.Range(0, paths.Count).Where(p => sets[p] == set).ToList();
            var journeys = group.Sum(p => paths.Conversions[p] + paths.Nulls[p]);
            return journeys > 0 ? group.Sum(numerator) / journeys : 0;
        }
        double V(int coalition) => sets.Distinct().Where(t => (t & ~coalition) == 0).Select(t => Rate(t, p => paths.Conversions[p])).DefaultIfEmpty(0).Max();
        var phi = new double[n];
        var orders = 0;
        foreach (var order in HeuristicAndShapleyTests.Permutations(Enumerable.Range(0, n).ToArray()))
        {
            orders++;
            var coalition = 0;
            foreach (var i in order)
            {
                phi[i] += V(coalition | 1 << i) - V(coalition);
                coalition |= 1 << i;
            }
        }
        var whole = V((1 << n) - 1);
        for (var i = 0; i < n; i++)
            Assert.Equal(paths.TotalConversions * phi[i] / orders / whole, r[paths.Channels[i]]!.Conversions, 1e-9);
        Assert.All(r.Credits, c => Assert.True(c.Conversions >= -1e-12, $"{c.Channel}: {c.Conversions}"));
    }

    [Fact]
    public void SymmetricChannelsGetEqualCredit()
    {
        // a and b play the same part everywhere (swapping them maps the data onto itself); c is different.
        var paths = PathSet.From([
            P("a", 1, 5, 9), P("b", 1, 5, 9), P("a > c", 3, 9, 7), P("c > b", 3, 9, 7),
            P("a > b", 2, 4, 2), P("b > a", 2, 4, 2), P("c", 1, 1, 19), P("b > c > a", 4, 8, 4)]);
        var r = ShapleyAttribution.Run(paths);
        Assert.Equal(r["a"]!.Conversions, r["b"]!.Conversions, 1e-12);
        Assert.Equal(r["a"]!.Value, r["b"]!.Value, 1e-12);
        Assert.NotEqual(r["a"]!.Conversions, r["c"]!.Conversions, 6);
        AssertSumsToTotals(r, paths.TotalConversions, paths.TotalValue);
    }

    [Fact]
    public void ADummyChannelGetsNothingAndChangesNoOtherCredit()
    {
        // d adds nothing: every group seen with d converts exactly as the same group without d, and d alone never converts.
        var rng = new SeededRandom(17);
        var with = new List<PathRecord>();
        var without = new List<PathRecord>();
        foreach (var path in new[] { "a", "b", "c", "a > b", "b > c", "c > a > b" })
        {
            var conversions = rng.Integer(1, 6);
            var nulls = rng.Integer(1, 20);
            var value = conversions * rng.Uniform(10, 50);
            without.Add(P(path, conversions, value, nulls));
            with.Add(P(path, conversions, value, nulls));
            with.Add(P(path + " > d", 2 * conversions, 2 * value, 2 * nulls));
        }
        with.Add(P("d", 0, 0, 30));
        var r = ShapleyAttribution.Run(PathSet.From(with));
        var reference = ShapleyAttribution.Run(PathSet.From(without));
        Assert.Equal(0, r["d"]!.Conversions, 1e-12);
        Assert.Equal(0, r["d"]!.Value, 1e-12);
        // The same shares of three times the conversions (d's journeys doubled each group).
        foreach (var c in reference.Credits)
        {
            Assert.Equal(3 * c.Conversions, r[c.Channel]!.Conversions, 1e-9);
            Assert.Equal(3 * c.Value, r[c.Channel]!.Value, 1e-8);
        }
    }

    [Fact]
    public void TwentyChannelsAreExactAndTwentyOneAreRefused()
    {
        PathSet Channels(int n) => PathSet.From(Enumerable.Range(0, n).Select(i => P($"ch{i} > ch{(i + 1) % n}", i % 3, i, 5)));
        var twenty = ShapleyAttribution.Run(Channels(20));
        AssertSumsToTotals(twenty, twenty.TotalConversions, twenty.TotalValue);
        var e = Assert.Throws<TooLargeException>(() => ShapleyAttribution.Run(Channels(21)));
        Assert.Equal("model", e.Field);
        Assert.Contains("20 channels", e.Message);
        Assert.Contains("21", e.Message);
    }

    [Fact]
    public void NoConversionsGiveNoCredit()
    {
        var r = ShapleyAttribution.Run(PathSet.From([P("a > b", 0, 0, 5), P("c", 0, 0, 2)]));
        Assert.All(r.Credits, c => Assert.Equal(0, c.Conversions));
    }
}
