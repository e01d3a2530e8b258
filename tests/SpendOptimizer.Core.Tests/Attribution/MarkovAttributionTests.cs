using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Numerics;
using static SpendOptimizer.Core.Tests.Attribution.PathFixtures;

namespace SpendOptimizer.Core.Tests.Attribution;

public sealed class MarkovAttributionTests
{
    // Solved on paper. Paths: a > b (1 conversion worth 100, 1 null), a > c (1 conversion worth 50), b (1 null).
    // START→a 3/4, START→b 1/4; a→b 2/3, a→c 1/3; b→conv 1/3, b→null 2/3; c→conv 1.
    // P(b) = 1/3, P(c) = 1, P(a) = 2/3·1/3 + 1/3 = 5/9, P = 3/4·5/9 + 1/4·1/3 = 1/2.
    // Without a: P = 1/12 → RE 5/6. Without b: P(a) = 1/3, P = 1/4 → RE 1/2. Without c: P(a) = 2/9, P = 1/4 → RE 1/2.
    // Credits: 2 · RE / (11/6) → a 10/11, b 6/11, c 6/11.
    // Value per journey V = 37.5; without a 25/3 (RE 7/9), without b 12.5 (RE 2/3), without c 25 (RE 1/3):
    // value credits 150 · (7, 6, 3)/16 = 65.625, 56.25, 28.125.
    private static readonly PathSet Paper = PathSet.From([P("a > b", 1, 100, 1), P("a > c", 1, 50, 0), P("b", 0, 0, 1)]);

    [Fact]
    public void ThreeChannelChainMatchesTheHandSolution()
    {
        var r = MarkovAttribution.Run(Paper);
        Assert.Equal(0.5, r.Markov!.ConversionProbability, 1e-12);
        Assert.Equal(37.5, r.Markov.ValuePerJourney, 1e-10);
        Assert.Equal(5.0 / 6, r["a"]!.RemovalEffect!.Value, 1e-9);
        Assert.Equal(0.5, r["b"]!.RemovalEffect!.Value, 1e-9);
        Assert.Equal(0.5, r["c"]!.RemovalEffect!.Value, 1e-9);
        Assert.Equal(10.0 / 11, r["a"]!.Conversions, 1e-9);
        Assert.Equal(6.0 / 11, r["b"]!.Conversions, 1e-9);
        Assert.Equal(6.0 / 11, r["c"]!.Conversions, 1e-9);
        Assert.Equal(65.625, r["a"]!.Value, 1e-9);
        Assert.Equal(56.25, r["b"]!.Value, 1e-9);
        Assert.Equal(28.125, r["c"]!.Value, 1e-9);
        Assert.True(r.Markov.Converged);
        Assert.True(r.Markov.Residual <= 1e-12);
    }

    [Fact]
    public void TransitionMatrixIsExposedWithRowsSummingToOne()
    {
        var r = MarkovAttribution.Run(Paper);
        var t = r.Markov!.Transitions;
        Assert.Equal(0.75, t.Single(x => x.From == "(start)" && x.To == "a").Probability, 1e-12);
        Assert.Equal(2.0 / 3, t.Single(x => x.From == "b" && x.To == "(null)").Probability, 1e-12);
        foreach (var row in t.GroupBy(x => x.From)) Assert.Equal(1, row.Sum(x => x.Probability), 1e-12);
    }

    [Fact]
    public void OrderTwoStatesRememberTwoChannels()
    {
        // a > b > a converts once, b > a does not: states a, b, (a > b), (b > a); P = 1/2, and removing either
        // channel removes every converting state, so both removal effects are 1 and the credit is split evenly.
        var r = MarkovAttribution.Run(PathSet.From([P("a > b > a", 1, 10, 0), P("b > a", 0, 0, 1)]), order: 2);
        Assert.Equal(5, r.Markov!.States);
        Assert.Equal(0.5, r.Markov.ConversionProbability, 1e-12);
        Assert.Equal(1, r["a"]!.RemovalEffect!.Value, 1e-12);
        Assert.Equal(0.5, r["b"]!.Conversions, 1e-12);
        Assert.Contains(r.Markov.Transitions, x => x.From == "a > b" && x.To == "b > a");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CreditsSumToTotalsAndRowOrderDoesNotMatter(int order)
    {
        var records = Random(seed: order, count: 300);
        var total = records.Sum(r => r.TotalConversions);
        var value = records.Sum(r => r.TotalConversionValue);
        var a = MarkovAttribution.Run(PathSet.From(records), order);
        AssertSumsToTotals(a, total, value);
        var shuffled = records.OrderBy(r => r.Path.GetHashCode()).ThenBy(r => r.TotalNull).ToList();
        var b = MarkovAttribution.Run(PathSet.From(shuffled), order);
        foreach (var c in a.Credits)
        {
            Assert.Equal(c.Conversions, b[c.Channel]!.Conversions, 1e-9);
            Assert.Equal(c.Value, b[c.Channel]!.Value, 1e-7);
        }
    }

    [Fact]
    public void ChannelThatCannotLeadToAConversionGetsNothingAndUnknownChannelsAreAbsent()
    {
        // z only ever goes to NULL; (z > a would give z a route into a's converting transitions, and credit.)
        var r = MarkovAttribution.Run(PathSet.From([P("a > b", 3, 30, 5), P("z", 0, 0, 9)]));
        Assert.Equal(0, r["z"]!.Conversions, 1e-12);
        Assert.Equal(0, r["z"]!.RemovalEffect!.Value, 1e-12);
        Assert.Null(r["never-seen"]);
    }

    [Fact]
    public void OrderOneCollapsingStatesOrChannelsIsTheSameAndLeavesNoSelfLoop()
    {
        var repeated = PathSet.From([P("a > a > b", 2, 20, 3), P("b > b", 1, 5, 4)]);
        var plain = PathSet.From([P("a > b", 2, 20, 3), P("b", 1, 5, 4)]);
        var states = MarkovAttribution.Run(repeated);
        var channels = MarkovAttribution.Run(repeated, collapse: MarkovCollapse.Channels);
        var expected = MarkovAttribution.Run(plain);
        Assert.Equal(MarkovCollapse.States, states.Markov!.Collapse);
        Assert.Equal(MarkovCollapse.Channels, channels.Markov!.Collapse);
        foreach (var c in expected.Credits)
        {
            Assert.Equal(c.Conversions, states[c.Channel]!.Conversions, 1e-12);
            Assert.Equal(c.Conversions, channels[c.Channel]!.Conversions, 1e-12);
        }
        Assert.DoesNotContain(states.Markov.Transitions, t => t.From == t.To);
        AssertSumsToTotals(states, 3, 25);
    }

    // Order 2. Paths: a > b > b > b > c (1 conversion worth 10), b > b (1 null).
    // states: raw states (a), (a b), (b b), (b b), (b c) and (b), (b b); the repeated (b b) merges into one visit.
    //   START→(a) 1/2, START→(b) 1/2; (a)→(a b) 1; (a b)→(b b) 1; (b)→(b b) 1; (b b)→(b c) 1/2, →null 1/2; (b c)→conv 1.
    //   P(b c) = 1, P(b b) = 1/2, P(a b) = P(a) = P(b) = 1/2, P = 1/2.
    //   Without a: P = 1/2·P(b) = 1/4 → RE 1/2. Without b: every route passes a state with b → RE 1. Without c: RE 1.
    //   Credits 1 · (1/2, 1, 1) / (5/2) → a 0.2, b 0.4, c 0.4; value the same × 10.
    // channels: a > b > c converts, b does not: (a)→(a b)→(b c)→conv, (b)→null; every channel's removal loses the
    //   only conversion → RE 1 each, credits 1/3 each.
    private static readonly PathSet OrderTwoRepeats = PathSet.From([P("a > b > b > b > c", 1, 10, 0), P("b > b", 0, 0, 1)]);

    [Fact]
    public void OrderTwoWithRepeatsMatchesTheHandSolutionForBothCollapseRules()
    {
        var states = MarkovAttribution.Run(OrderTwoRepeats, order: 2);
        Assert.Equal(6, states.Markov!.States);
        Assert.Equal(0.5, states.Markov.ConversionProbability, 1e-12);
        Assert.Equal(0.5, states["a"]!.RemovalEffect!.Value, 1e-9);
        Assert.Equal(1, states["b"]!.RemovalEffect!.Value, 1e-9);
        Assert.Equal(1, states["c"]!.RemovalEffect!.Value, 1e-9);
        Assert.Equal(0.2, states["a"]!.Conversions, 1e-9);
        Assert.Equal(0.4, states["b"]!.Conversions, 1e-9);
        Assert.Equal(0.4, states["c"]!.Conversions, 1e-9);
        Assert.Equal(2, states["a"]!.Value, 1e-8);
        Assert.Equal(0.5, states.Markov.Transitions.Single(t => t.From == "b > b" && t.To == "b > c").Probability, 1e-12);
        Assert.DoesNotContain(states.Markov.Transitions, t => t.From == t.To);

        var channels = MarkovAttribution.Run(OrderTwoRepeats, order: 2, collapse: MarkovCollapse.Channels);
        Assert.Equal(5, channels.Markov!.States);
        foreach (var c in new[] { "a", "b", "c" }) Assert.Equal(1.0 / 3, channels[c]!.Conversions, 1e-9);
    }

    // Order 3. Paths: a > a > a > a > b (1 conversion worth 6), c > a > a > a (1 null).
    // states: (a), (a a), (a a a) [twice, merged], (a a b) → conv; (c), (c a), (c a a), (a a a) → null.
    //   The shared (a a a): →(a a b) 1/2, →null 1/2. P(a a b) = 1, so every other state has P = 1/2, and P = 1/2.
    //   Without a: every route passes a state with a → RE 1. Without b: (a a b) gone → RE 1.
    //   Without c: P = 1/2·P(a) = 1/4 → RE 1/2. Credits (1, 1, 1/2) / (5/2) → a 0.4, b 0.4, c 0.2.
    // channels: a > b converts, c > a does not, and no state is shared: c's removal changes nothing → a 1/2, b 1/2, c 0.
    private static readonly PathSet OrderThreeRepeats = PathSet.From([P("a > a > a > a > b", 1, 6, 0), P("c > a > a > a", 0, 0, 1)]);

    [Fact]
    public void OrderThreeWithRepeatsMatchesTheHandSolutionForBothCollapseRules()
    {
        var states = MarkovAttribution.Run(OrderThreeRepeats, order: 3);
        Assert.Equal(8, states.Markov!.States);
        Assert.Equal(0.5, states.Markov.ConversionProbability, 1e-12);
        Assert.Equal(0.5, states["c"]!.RemovalEffect!.Value, 1e-9);
        Assert.Equal(0.4, states["a"]!.Conversions, 1e-9);
        Assert.Equal(0.4, states["b"]!.Conversions, 1e-9);
        Assert.Equal(0.2, states["c"]!.Conversions, 1e-9);
        Assert.Equal(1.2, states["c"]!.Value, 1e-8);
        Assert.Equal(0.5, states.Markov.Transitions.Single(t => t.From == "a > a > a" && t.To == "(null)").Probability, 1e-12);

        var channels = MarkovAttribution.Run(OrderThreeRepeats, order: 3, collapse: MarkovCollapse.Channels);
        Assert.Equal(0.5, channels["a"]!.Conversions, 1e-9);
        Assert.Equal(0.5, channels["b"]!.Conversions, 1e-9);
        Assert.Equal(0, channels["c"]!.Conversions, 1e-9);
    }

    [Theory]
    [InlineData(1, 31)]
    [InlineData(2, 32)]
    [InlineData(3, 33)]
    [InlineData(4, 34)]
    public void CollapsingStatesEqualsNotCollapsingAtAll(int order, int seed)
    {
        // Brute force: a dense chain over the raw order-k states, self-loops kept, solved by Gaussian elimination.
        for (var round = 0; round < 5; round++)
        {
            var records = Random(seed * 10 + round, 25, channels: 3, maxLength: 6);
            var paths = PathSet.From(records);
            var r = MarkovAttribution.Run(paths, order);
            var p = RawChainConversion(paths, order, removed: null);
            Assert.Equal(p, r.Markov!.ConversionProbability, 1e-9);
            var re = Enumerable.Range(0, paths.Channels.Count).Select(c => 1 - RawChainConversion(paths, order, c) / p).ToArray();
            for (var c = 0; c < paths.Channels.Count; c++)
            {
                Assert.Equal(re[c], r[paths.Channels[c]]!.RemovalEffect!.Value, 1e-9);
                Assert.Equal(paths.TotalConversions * re[c] / re.Sum(), r[paths.Channels[c]]!.Conversions, 1e-8);
            }
        }
    }

    /// <summary>P(conversion) from START of the chain over raw order-k states (fewer at a path's start), every step kept.</summary>
    private static double RawChainConversion(PathSet paths, int order, int? removed)
    {
        var ids = new Dictionary<string, int> { ["start"] = 0 };
        var steps = new List<(int From, int To, double Weight)>();
        var ends = new List<(int State, double Conversions, double Nulls)>();
        var members = new List<int[]>();
        members.Add([]);
        for (var p = 0; p < paths.Count; p++)
        {
            var path = paths.Paths[p];
            var previous = 0;
            for (var i = 0; i < path.Length; i++)
            {
                var state = path[Math.Max(0, i + 1 - order)..(i + 1)];
                var key = string.Join(",", state);
                if (!ids.TryGetValue(key, out var id))
                {
                    id = ids[key] = ids.Count;
                    members.Add(state);
                }
                steps.Add((previous, id, paths.Conversions[p] + paths.Nulls[p]));
                previous = id;
            }
            ends.Add((previous, paths.Conversions[p], paths.Nulls[p]));
        }
        var n = ids.Count;
        var outflow = new double[n];
        foreach (var s in steps) outflow[s.From] += s.Weight;
        foreach (var e in ends) outflow[e.State] += e.Conversions + e.Nulls;
        // (I − Q) x = r, with removed states held at x = 0.
        var a = new double[n, n + 1];
        for (var s = 0; s < n; s++) a[s, s] = 1;
        foreach (var s in steps) a[s.From, s.To] -= s.Weight / outflow[s.From];
        foreach (var e in ends) a[e.State, n] += e.Conversions / outflow[e.State];
        if (removed is { } c)
            for (var s = 1; s < n; s++)
                if (members[s].Contains(c))
                    for (var j = 0; j <= n; j++) a[s, j] = j == s ? 1 : 0;
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(row => Math.Abs(a[row, col]));
            for (var j = 0; j <= n; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            for (var row = 0; row < n; row++)
            {
                if (row == col || a[row, col] == 0) continue;
                var f = a[row, col] / a[col, col];
                for (var j = col; j <= n; j++) a[row, j] -= f * a[col, j];
            }
        }
        return a[0, n] / a[0, 0];
    }

    [Theory]
    [InlineData(1, 11)]
    [InlineData(2, 12)]
    public void ExactSolutionAgreesWithMonteCarloOfTheSameChain(int order, int seed)
    {
        var paths = PathSet.From(Random(seed, 200, channels: 4, maxLength: 4));
        var exact = MarkovAttribution.Run(paths, order);
        var rows = exact.Markov!.Transitions.GroupBy(t => t.From).ToDictionary(g => g.Key, g => g.ToList());
        var rng = new SeededRandom(seed * 101);
        const int runs = 200_000;

        double Simulate(string? removed)
        {
            var conversions = 0;
            for (var i = 0; i < runs; i++)
            {
                var state = "(start)";
                while (true)
                {
                    var row = rows[state];
                    var pick = rng.Pick(row.Select(t => t.Probability).ToList());
                    state = row[pick].To;
                    if (state == "(conversion)") { conversions++; break; }
                    if (state == "(null)") break;
                    if (removed is not null && state.Split(ChannelPath.Separator).Contains(removed)) break;
                }
            }
            return conversions / (double)runs;
        }

        void Close(double truth, double estimate)
        {
            var se = Math.Sqrt(truth * (1 - truth) / runs);
            Assert.True(Math.Abs(estimate - truth) <= 4 * se + 1e-12, $"exact {truth}, simulated {estimate}, 4·se {4 * se}");
        }

        var p = exact.Markov.ConversionProbability;
        Close(p, Simulate(null));
        foreach (var c in exact.Credits.Take(2))
            Close(p * (1 - c.RemovalEffect!.Value), Simulate(c.Channel));
    }

    [Fact]
    public void SameInputGivesTheSameOutputEveryTime()
    {
        var records = Random(5, 500);
        var a = MarkovAttribution.Run(PathSet.From(records), 2);
        var b = MarkovAttribution.Run(PathSet.From(records), 2);
        Assert.Equal(a.Credits, b.Credits);
    }

    [Fact]
    public void OrderOutsideOneToFourIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkovAttribution.Run(Paper, order: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkovAttribution.Run(Paper, order: 0));
    }
}
