using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Worlds.Search;

namespace SpendOptimizer.Worlds.Tests.Search;

/// <summary>
/// The exhaustive path search against trying every combination by hand: every channel × week cell at every factor, each path
/// kept only if the scorer finds it breaks no rule (band, weekly budget, limits in truth), the best value taken.
/// </summary>
public sealed class PathGridSearchTests
{
    /// <summary>A tiny seeded world: 1–3 channels, 2–3 weeks, log or saturating curves, limits and budgets that sometimes bind.</summary>
    private static CarryOverWorld Tiny(int seed)
    {
        var rng = new SeededRandom(seed, 0x7a7e);
        var n = 1 + seed % 3;
        var weeks = n == 3 ? 2 : 2 + seed % 2;
        var channels = Enumerable.Range(0, n).Select(i =>
        {
            var s0 = Math.Round(rng.Uniform(1_000, 20_000));
            var theta = rng.Uniform(0, 0.7);
            var kappa = s0 / (1 - theta) * rng.Uniform(0.3, 3);
            var beta = s0 / rng.Uniform(20, 80);
            Func<double, double> curve = rng.Uniform() < 0.5 ? a => beta * Math.Log(1 + a / kappa) : a => beta * (1 - Math.Exp(-a / kappa));
            var start = s0 / (1 - theta) * rng.Uniform(0.7, 1.3);
            // K around today's spend per conversion, so the limit binds on some moves and not on others
            var k = s0 / curve(s0 + theta * start) * rng.Uniform(0.95, 1.3);
            return new CarryOverChannel($"c{i}", s0, curve, theta, start, rng.Uniform(50, 400), k);
        }).ToList();
        var today = channels.Sum(c => c.CurrentSpend);
        var tolerance = rng.Uniform(0.005, 0.08);
        return new CarryOverWorld(channels, weeks, today * (1 - tolerance), today * (1 + tolerance));
    }

    private static (double Value, double[][]? Spend) ByHand(CarryOverWorld world, double[] factors)
    {
        var (n, h) = (world.Channels.Count, world.HorizonWeeks);
        var spend = Enumerable.Range(0, n).Select(_ => new double[h]).ToArray();
        var best = (Value: double.NegativeInfinity, Spend: (double[][]?)null);
        void Cell(int cell)
        {
            if (cell == n * h)
            {
                if (!world.Score(spend).BreaksNoRule) return;
                var value = world.Value(spend);
                if (value > best.Value) best = (value, spend.Select(s => (double[])s.Clone()).ToArray());
                return;
            }
            var (i, t) = (cell / h, cell % h);
            foreach (var f in factors)
            {
                spend[i][t] = (t == 0 ? world.Channels[i].CurrentSpend : spend[i][t - 1]) * f;
                Cell(cell + 1);
            }
        }
        Cell(0);
        return best;
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 40).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Finds_the_best_of_every_combination(int seed)
    {
        var world = Tiny(seed);
        double[] shares = seed % 2 == 0 ? [0.10, 0.20] : [0.15];
        var (value, spend) = ByHand(world, PathGridSearch.Factors(shares));
        // by hand every cell keeps its limit: a channel that can meet it at no move has no path, as under refuse
        var found = PathGridSearch.Best(world, shares, UnreachableLimits.Refuse);
        if (spend is null)
        {
            Assert.Null(found);
            return;
        }
        Assert.NotNull(found);
        Assert.Equal(value, found.Value, 1e-9 * Math.Abs(value));
        Assert.Equal(value, world.Value(found.Spend), 1e-9 * Math.Abs(value));
        Assert.True(world.Score(found.Spend).BreaksNoRule);
    }

    [Fact]
    public void Two_channels_two_weeks_by_hand()
    {
        // a: response 10·√A, worth 1, no carry-over; b: response 5·√A, worth 1, no carry-over; today 100 each; weekly budget 200
        // to 200·(1 + 1e-9), moves ±10%.
        // Per week, value 10·√s_a + 5·√s_b is best with a up: (110, 90) gives 10·√110 + 5·√90 ≈ 152.31 > 150 (kept) > (90, 110).
        // From (110, 90) no move but keep adds up to 200: (121, 81) is 202, (99, 99) is 198. From (90, 110) likewise.
        // Paths: keep, keep 300; keep then (110, 90) ≈ 302.31; (110, 90) twice ≈ 304.63, the best.
        var world = new CarryOverWorld(
            [new("a", 100, a => 10 * Math.Sqrt(a), 0, 100, 1, 1e9), new("b", 100, a => 5 * Math.Sqrt(a), 0, 100, 1, 1e9)], 2, 200, 200 * (1 + 1e-9));
        var found = PathGridSearch.Best(world, [0.10])!;
        Assert.Equal([110, 110], found.Spend[0], (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal([90, 90], found.Spend[1], (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal(2 * (10 * Math.Sqrt(110) + 5 * Math.Sqrt(90)), found.Value, 1e-9);
    }

    [Fact]
    public void A_channel_that_meets_its_limit_at_no_move_is_held_at_the_closest_level_until_it_can()
    {
        // a: response 10·√A, no carry-over, today 100, K 0.85: s ≤ 8.5·√s holds up to s = 72.25. From 100 the moves are 80, 90, 100,
        // 110, 120, none within (80 > 8.5·√80 ≈ 76.0); spend per conversion √s/10 is lowest at 80, where it is held. From 80: 64 and 72
        // hold, 80, 88 and 96 do not; the response rises with spend, so 72.
        var world = new CarryOverWorld([new("a", 100, a => 10 * Math.Sqrt(a), 0, 100, 1, 0.85)], 2, 0, 1e9);
        var found = PathGridSearch.Best(world, [0.10, 0.20])!;
        Assert.Equal([80, 72], found.Spend[0], (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal(10 * Math.Sqrt(80) + 10 * Math.Sqrt(72), found.Value, 1e-9);
        Assert.Null(PathGridSearch.Best(world, [0.10, 0.20], UnreachableLimits.Refuse));
    }

    [Fact]
    public void No_path_when_no_move_meets_the_budget()
    {
        var world = new CarryOverWorld([new("a", 100, a => Math.Sqrt(a), 0.3, 140, 1, 1e9)], 2, 150, 160);
        Assert.Null(PathGridSearch.Best(world, [0.10, 0.20]));
    }
}
