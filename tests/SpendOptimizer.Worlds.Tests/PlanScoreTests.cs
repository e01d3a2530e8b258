using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Worlds.Search;

namespace SpendOptimizer.Worlds.Tests;

public sealed class PlanScoreTests
{
    /// <summary>A world of hand-built true lines: logarithmic curves g(s) = β·ln(1 + s/κ), κ = today's spend.</summary>
    private sealed class HandBuiltWorld(params (string Name, double Spend, double ClvCacToday)[] channels) : IScoredWorld
    {
        public const double Clv = 600;

        public IReadOnlyList<PerformanceRow> Performance => [];
        public IReadOnlyList<LiftTest> LiftTests => [];
        public IReadOnlyList<UnitEconomics> Economics => [];
        public IReadOnlyList<PathRecord> Paths => [];
        public IReadOnlyDictionary<string, double> CurrentPlan => channels.ToDictionary(c => c.Name, c => c.Spend);

        // CLV:CAC today = CLV · g(s0) / s0 with one customer per conversion; payback never binds (margin 1,000 a month).
        public IReadOnlyList<AllocationLine> TrueLines(IReadOnlyDictionary<string, double>? current = null) =>
            channels.Select(c =>
            {
                var beta = c.ClvCacToday * c.Spend / Clv / Math.Log(2);
                return new AllocationLine(c.Name, current?[c.Name] ?? c.Spend, s => beta * Math.Log(1 + s / c.Spend), 1, 100, Clv, 1000);
            }).ToList();
    }

    // a: CLV:CAC 3.05 today, below 3 at +20% (ratio × 0.948): meetable. b: 2.0 today, at most 2.12 at −20%: unmeetable. c: healthy.
    private static readonly HandBuiltWorld World = new(("a", 10_000, 3.05), ("b", 10_000, 2.0), ("c", 20_000, 5.0));

    [Fact]
    public void A_plan_is_told_apart_by_band_budget_and_which_kind_of_limit_it_breaks()
    {
        var optimum = TrueOptimum.Of(World);
        Assert.Equal(["b"], optimum.Unmeetable);
        Assert.Equal(8_000, optimum.Closest["b"], 1e-3);

        // a +20% (breaks a limit it could meet), b kept (breaks one it cannot, not at its closest level), c +5% (band), total +2.25%.
        var score = PlanScore.Of(World, new Dictionary<string, double> { ["a"] = 12_000, ["b"] = 10_000, ["c"] = 21_000 });
        Assert.Equal(["c"], score.BandBreaks);
        Assert.True(score.BudgetBreak);
        Assert.Equal(["a"], score.LimitBreaksWhereMeetable);
        Assert.Equal(["b"], score.LimitBreaksWhereUnmeetable);
        Assert.Equal(["b"], score.UnmeetableNotClosest);
        Assert.False(score.BreaksNoRule);

        // b at its closest level, a within its limits, c +15.5%: the total moves +0.25%, inside ±0.5%.
        var fair = PlanScore.Of(World, new Dictionary<string, double> { ["a"] = 9_000, ["b"] = 8_000, ["c"] = 23_100 }, optimum: optimum);
        Assert.Empty(fair.BandBreaks);
        Assert.False(fair.BudgetBreak);
        Assert.Empty(fair.LimitBreaksWhereMeetable);
        Assert.Equal(["b"], fair.LimitBreaksWhereUnmeetable);
        Assert.Empty(fair.UnmeetableNotClosest);
        Assert.True(fair.BreaksNoRule);
        Assert.InRange(fair.Share, 0, 1 + 1e-9);

        // The optimum keeps every rule and scores 1.
        var best = PlanScore.Of(World, optimum.Plan, optimum: optimum);
        Assert.True(best.BreaksNoRule);
        Assert.Empty(best.UnmeetableNotClosest);
        Assert.Equal(1, best.Share, 1e-12);
        Assert.Equal(optimum.Gain, best.PlanGain, 1e-9);
        Assert.Equal(8_000, optimum.Plan["b"], 1e-3);
        Assert.True(optimum.Gain > fair.PlanGain);
    }

    [Fact]
    public void A_tighter_budget_or_a_plan_missing_a_channel_is_caught()
    {
        var tight = PlanScore.Of(World, new Dictionary<string, double> { ["a"] = 9_000, ["b"] = 8_000, ["c"] = 23_100 },
            rules: new ScoreRules(BudgetTolerance: 0.002));
        Assert.True(tight.BudgetBreak);
        Assert.Throws<ArgumentException>(() => PlanScore.Of(World, new Dictionary<string, double> { ["a"] = 10_000 }));
    }

    [Fact]
    public void On_a_market_world_the_exact_optimum_keeps_every_rule_and_beats_every_single_move()
    {
        var world = MarketWorld.Generate(12);
        var optimum = TrueOptimum.Of(world);
        var score = PlanScore.Of(world, optimum.Plan, optimum: optimum);
        Assert.True(score.BreaksNoRule);
        Assert.Empty(score.UnmeetableNotClosest);
        Assert.True(optimum.Gain > 0);

        // No plan that moves one pair of channels in opposite directions along the grid (and fixes unmeetable ones) does better.
        var rules = new ScoreRules();
        var problem = rules.Problem(world.TrueLines());
        var levels = problem.Lines.Select(l => optimum.Closest.TryGetValue(l.Name, out var only) ? [only] : GridSearch.Levels(l, problem, rules.GridPerSide)).ToList();
        var baseline = problem.Lines.Select((l, i) => levels[i].Contains(l.CurrentSpend) ? l.CurrentSpend : levels[i].MinBy(s => Math.Abs(s - l.CurrentSpend))).ToArray();
        var (low, high) = problem.BudgetRange;
        var today = Allocator.Value(problem, problem.Lines.Select(l => l.CurrentSpend).ToArray());
        for (var i = 0; i < levels.Count; i++)
            for (var j = 0; j < levels.Count; j++)
                foreach (var si in levels[i])
                    foreach (var sj in levels[j])
                    {
                        var plan = (double[])baseline.Clone();
                        plan[i] = si;
                        plan[j] = sj;
                        if (plan.Sum() < low || plan.Sum() > high) continue;
                        Assert.True(Allocator.Value(problem, plan) - today <= optimum.Gain + 1e-9 * Math.Abs(optimum.Gain));
                    }
    }
}
