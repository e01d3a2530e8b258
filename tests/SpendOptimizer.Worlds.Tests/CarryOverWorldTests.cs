namespace SpendOptimizer.Worlds.Tests;

public sealed class CarryOverWorldTests
{
    /// <summary>
    /// One channel, two weeks: today 100, θ = 0.5, start adstock 212, response 2·√A, worth 3 a conversion, budget 85–110 a week.
    /// Path 90 (−10%), 108 (+20%): A₁ = 90 + 0.5·212 = 196, A₂ = 108 + 0.5·196 = 206.
    /// Value = 3·(2·√196 + 2·√206 / (1 − 0.5)) = 84 + 12·√206 (the last week counted twice for what its adstock leaves behind).
    /// Kept at 100: A₁ = 100 + 106 = 206, A₂ = 100 + 103 = 203, value 3·(2·√206 + 4·√203) = 6·√206 + 12·√203.
    /// </summary>
    private static CarryOverWorld World(double k) =>
        new([new CarryOverChannel("a", 100, a => 2 * Math.Sqrt(a), 0.5, 212, 3, k)], 2, 85, 110);

    [Fact]
    public void The_path_is_valued_on_the_true_adstock_with_the_last_week_counted_for_what_spills_past_it()
    {
        var world = World(k: 10);
        double[][] path = [[90, 108]];
        Assert.Equal([196, 206], CarryOverWorld.Adstock(world.Channels[0], path[0]));
        Assert.Equal(84 + 12 * Math.Sqrt(206), world.Value(path), 1e-9);
        Assert.Equal(6 * Math.Sqrt(206) + 12 * Math.Sqrt(203), world.Value(world.KeepToday()), 1e-9);

        var score = world.Score(path, optimumGain: 10);
        Assert.Equal(84 + 6 * Math.Sqrt(206) - 12 * Math.Sqrt(203), score.Gain, 1e-9);
        Assert.Equal(score.Gain / 10, score.Share, 1e-12);
        Assert.True(score.BreaksNoRule);
    }

    [Fact]
    public void A_cell_over_its_true_limit_a_move_outside_the_band_and_a_week_over_budget_are_each_named()
    {
        // K = 3.7: week 1 allows 3.7·2·√196 = 103.6 ≥ 90; week 2 allows 3.7·2·√206 ≈ 106.2 < 108, a break.
        var score = World(k: 3.7).Score([[90, 108]]);
        Assert.Equal(["a week 2"], score.LimitBreaks);
        Assert.Empty(score.BandBreaks);

        // 95 is a 5% move (below the band), 114 is 20% up from it and over the weekly budget of 110.
        var other = World(k: 10).Score([[95, 114]]);
        Assert.Equal(["a week 1"], other.BandBreaks);
        Assert.Equal([2], other.BudgetBreaks);
        Assert.False(other.BreaksNoRule);
    }

    [Fact]
    public void A_path_that_gains_nothing_where_nothing_can_be_gained_captures_all_of_it()
    {
        var world = World(k: 10);
        Assert.Equal(1, world.Score(world.KeepToday(), optimumGain: 0).Share);
        Assert.Equal(0, world.Score([[90, 81]], optimumGain: 0).Share);
    }
}
