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
    public void CollapsingRepeatsMergesConsecutiveVisitsAndIsTheDefault()
    {
        var repeated = PathSet.From([P("a > a > b", 2, 20, 3), P("b > b", 1, 5, 4)]);
        var plain = PathSet.From([P("a > b", 2, 20, 3), P("b", 1, 5, 4)]);
        var collapsed = MarkovAttribution.Run(repeated);
        var expected = MarkovAttribution.Run(plain);
        Assert.Equal(expected["a"]!.Conversions, collapsed["a"]!.Conversions, 1e-12);
        var kept = MarkovAttribution.Run(repeated, collapseRepeats: false);
        Assert.Contains(kept.Markov!.Transitions, t => t.From == "a" && t.To == "a");
        Assert.DoesNotContain(collapsed.Markov!.Transitions, t => t.From == "a" && t.To == "a");
        AssertSumsToTotals(kept, 3, 25);
    }

    [Theory]
    [InlineData(1, 11)]
    [InlineData(2, 12)]
    public void ExactSolutionAgreesWithMonteCarloOfTheSameChain(int order, int seed)
    {
        var paths = PathSet.From(Random(seed, 200, channels: 4, maxLength: 4));
        var exact = MarkovAttribution.Run(paths, order, collapseRepeats: false);
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
