using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Planning;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Tests.Planning;

/// <summary>
/// The path MIP against the single-week allocator (horizon 1, no carry-over), against exhaustive search over the same grid of
/// moves with the adstock recursion computed exactly, and against its own rules: the band from each previous week, the budgets,
/// bounds, locks and limits.
/// </summary>
public sealed class PathPlannerTests
{
    /// <summary>
    /// Relative, on the objective's gross value (Σ worth·response), beyond twice the chords' stated bound (the MIP ranks paths on
    /// chords, each within the bound of the curve) and the MIP's gap (1e-7 here).
    /// </summary>
    private const double Tolerance = 1e-6;

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 220).Select(s => new object[] { s });

    public static IEnumerable<object[]> SingleWeekSeeds() => Enumerable.Range(1, 40).Select(s => new object[] { s });

    private static (int Channels, int Weeks) Size(int seed) => (1 + seed % 3, 1 + seed / 3 % 4);

    private static double Scale(PathProblem p, IReadOnlyList<IReadOnlyList<double>> spend) =>
        Math.Max(1, p.Lines.Select((l, i) => PathPlanner.Adstock(p.Curves[i], spend[i]).Sum(a => Math.Abs(p.Rules.Worth(l) * p.Curves[i].Response(a)))).Sum());

    [Theory]
    [MemberData(nameof(SingleWeekSeeds))]
    public void OneWeekWithoutCarryOverIsTheWeeklyRecommendation(int seed)
    {
        var p = PathFixtures.Random(seed, 1 + seed % 5, 1, carryOver: false, shares: null);
        p = p with { Rules = p.Rules with { Budget = seed % 2 == 0 ? p.Rules.TotalCurrent : p.Rules.Budget, BudgetMode = seed % 2 == 0 ? BudgetMode.Equal : p.Rules.BudgetMode,
            UnreachableLimits = UnreachableLimits.Refuse, RelativeApproximationError = 1e-6 }, WeeklyBudgets = null, TotalBudget = null, WeeklyMin = null, WeeklyMax = null };
        var week = Allocator.Solve(p.Rules);
        var path = PathPlanner.Solve(p);
        Assert.Equal(week.HasPlan, path.HasPlan);
        if (!path.HasPlan) return;
        var scale = Scale(p, week.Lines.Select(l => (IReadOnlyList<double>)[l.Recommended]).ToList());
        Assert.True(Math.Abs(week.RecommendedObjective - path.PlanValue) <= 1e-4 * scale, $"week {week.RecommendedObjective} vs path {path.PlanValue}");
        Assert.Equal(week.CurrentObjective, path.CurrentValue, 1e-9 * scale);
        foreach (var (l, cell) in week.Lines.Zip(path.Cells))
        {
            Assert.Equal(l.Name, cell.Channel);
            Assert.True(Math.Abs(l.Recommended - cell.Spend) <= 2e-3 * l.Current, $"{l.Name}: week {l.Recommended} vs path {cell.Spend} (today {l.Current})");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GridPathMatchesExhaustiveSearchAndKeepsEveryRule(int seed)
    {
        var (channels, weeks) = Size(seed);
        var shares = channels * weeks <= 6 ? new[] { 0.1, 0.2 } : [0.2];
        var p = PathFixtures.Random(seed, channels, weeks, carryOver: seed % 5 != 0, shares);
        var brute = PathBruteForce.Best(p, out var bestPath);
        var result = PathPlanner.Solve(p);
        if (brute is null)
        {
            Assert.False(result.HasPlan, $"the MIP found a path worth {result.PlanValue} where exhaustive search found none");
            Assert.NotEmpty(result.Clashes);
            return;
        }
        Assert.True(result.HasPlan, $"exhaustive search found {brute} but the MIP says {result.Status}: {string.Join(" ", result.Clashes.Select(c => c.Explanation))}");
        var spend = Spends(p, result);
        var scale = Scale(p, bestPath!);
        Assert.True(result.PlanValue >= brute.Value - 2 * result.ApproximationBound - Tolerance * scale,
            $"MIP {result.PlanValue} < exhaustive {brute} (bound {result.ApproximationBound})");
        Assert.True(result.PlanValue <= brute.Value + 1e-9 * scale, $"MIP {result.PlanValue} > exhaustive {brute}: off the grid or breaking a rule");
        Assert.Equal(PathPlanner.Value(p, spend), result.PlanValue, 1e-9 * scale);
        Assert.Equal(AllocationStatus.Optimal, result.Status);
        Assert.True(result.RelativeGap <= 1e-6, $"gap {result.RelativeGap}");
        AssertKeepsRules(p, result, onGrid: true);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ContinuousBandPathBeatsTheGridAndKeepsEveryRule(int seed)
    {
        var (channels, weeks) = Size(seed);
        var shares = channels * weeks <= 6 ? new[] { 0.1, 0.15, 0.2 } : [0.2];
        var grid = PathFixtures.Random(seed, channels, weeks, carryOver: true, shares);
        var p = grid with { MoveShares = null };
        var brute = PathBruteForce.Best(grid, out var bestPath);
        var result = PathPlanner.Solve(p);
        if (brute is { } b)
        {
            Assert.True(result.HasPlan, $"the grid has a path worth {b} but the MIP says {result.Status}");
            Assert.True(result.PlanValue >= b - 2 * result.ApproximationBound - Tolerance * Scale(p, bestPath!), $"MIP {result.PlanValue} < grid {b} (bound {result.ApproximationBound})");
        }
        if (result.HasPlan) AssertKeepsRules(p, result, onGrid: false);
    }

    [Fact]
    public void CarryOverPastTheHorizonIsCountedSoTheEndIsNotCut()
    {
        // One channel at its steady state, spend free to move: without the last week's 1/(1−θ) weight a profit path would cut the
        // last week (its carry-over lost); with it, today's steady state stays optimal when it is the steady-state optimum.
        var curve = new HillAdstock(0.5, 1, 20_000, 1_000);
        // Profit optimum of sustained spend s: worth·g'(s) = 1 with g(s) = β·Hill(s/(1−θ)): g'(s) = β·κ'/(s+κ')², κ' = κ(1−θ) = 10,000.
        const double worth = 40;
        var optimum = Math.Sqrt(worth * 1_000 * 10_000) - 10_000; // 10,000
        var line = new AllocationLine("c", optimum, curve.SteadyState, 1, worth, worth, 1);
        var rules = new AllocationProblem([line], BudgetMode: BudgetMode.Cap, Budget: 1e9, MaxPaybackMonths: null, MinClvCac: null, Objective: Objective.Profit, BandMin: 0.05, BandMax: 0.3);
        var p = new PathProblem(rules, [new PathCurve(curve, optimum / (1 - 0.5))], 6);
        var result = PathPlanner.Solve(p);
        Assert.Equal(AllocationStatus.Optimal, result.Status);
        Assert.All(result.Cells, c => Assert.Equal(optimum, c.Spend, optimum * 1e-6));
        Assert.All(result.Cells, c => Assert.Equal(StopReason.NoGainWorthAMove, c.Reason));
        // The tail is θ/(1−θ) of the last week's response.
        Assert.Equal(result.Cells[^1].Conversions, result.AfterHorizon[0].Conversions, 1e-9);

        // Without the tail weight (θ → weighted as if none were left) the last week would drop: check the rule matters here.
        var spend = PathPlanner.KeepToday(p);
        var cut = spend.Select(s => s.ToArray()).ToArray();
        cut[0][^1] *= 0.7;
        Assert.True(PathPlanner.Value(p, spend) > PathPlanner.Value(p, cut));
        var withoutTail = spend[0].Take(5).Sum(s => worth * curve.Beta * curve.Hill(s / 0.5) - s) + worth * curve.Beta * curve.Hill(optimum * 0.7 + 0.5 * optimum / 0.5) - optimum * 0.7;
        Assert.True(withoutTail > spend[0].Take(5).Sum(s => worth * curve.Beta * curve.Hill(s / 0.5) - s) + worth * curve.Beta * curve.Hill(optimum / 0.5) - optimum,
            "without the carry-over the cut would look better");
    }

    [Fact]
    public void UnreachableBoundsAndBudgetsAreNamed()
    {
        var curve = new HillAdstock(0.3, 1, 10_000, 500);
        var line = new AllocationLine("c", 10_000, curve.SteadyState, 1, 100, 100, 10, Min: 15_000);
        var rules = new AllocationProblem([line], MaxPaybackMonths: null, MinClvCac: null);
        var bounds = PathPlanner.Solve(new PathProblem(rules, [new PathCurve(curve, 10_000 / 0.7)], 4));
        Assert.Equal(AllocationStatus.Infeasible, bounds.Status);
        Assert.Contains(bounds.Clashes, c => c.Subject == "c" && c.Limit == "hard_bound");

        var budget = PathPlanner.Solve(new PathProblem(rules with { Lines = [line with { Min = null }], Budget = 20_000 }, [new PathCurve(curve, 10_000 / 0.7)], 3,
            WeeklyBudgets: [11_000, 12_000, 20_000]));
        Assert.Equal(AllocationStatus.Infeasible, budget.Status);
        var clash = Assert.Single(budget.Clashes);
        Assert.StartsWith("Week 3", clash.Explanation); // 10,000 can grow to 14,400 by then, not 20,000
    }

    private static double[][] Spends(PathProblem p, PathResult r) =>
        p.Lines.Select(l => r.Cells.Where(c => c.Channel == l.Name).OrderBy(c => c.Week).Select(c => c.Spend).ToArray()).ToArray();

    /// <summary>Every rule, per-line limits aside in the cells held for meeting them at no move (which must be the planner's held cells).</summary>
    private static void AssertKeepsRules(PathProblem p, PathResult result, bool onGrid)
    {
        var spend = Spends(p, result);
        var held = p.Lines.Select((_, i) => PathHold.Prefix(p, i)).ToArray();
        foreach (var c in result.Cells)
            Assert.Equal(held[p.Lines.ToList().FindIndex(l => l.Name == c.Channel)][c.Week] is not null, c.Reason == StopReason.LimitUnreachable);
        var rules = p.Rules;
        for (var i = 0; i < spend.Length; i++)
        {
            var l = p.Lines[i];
            var previous = l.CurrentSpend;
            var response = PathPlanner.Adstock(p.Curves[i], spend[i]).Select(p.Curves[i].Response).ToArray();
            for (var t = 0; t < p.HorizonWeeks; t++)
            {
                var s = spend[i][t];
                var eps = 1e-6 * Math.Max(1, previous);
                if (l.Locked) Assert.Equal(l.CurrentSpend, s, eps);
                var share = Math.Abs(s - previous) / previous;
                if (onGrid) Assert.True(share <= eps || p.MoveShares!.Any(x => Math.Abs(share - x) <= 1e-6), $"{l.Name} week {t}: moved {share:P4}, not on the grid");
                else Assert.True(share <= 1e-6 || (share >= rules.BandMin - 1e-6 && share <= rules.BandMax + 1e-6), $"{l.Name} week {t}: moved {share:P4}, outside the band");
                if (l.Min is { } min) Assert.True(s >= min - eps, $"{l.Name} week {t}: {s} below min {min}");
                if (l.Max is { } max) Assert.True(s <= max + eps, $"{l.Name} week {t}: {s} above max {max}");
                if (rules.PerChannelLimits && !l.Locked && held[i][t] is null)
                    Assert.True(s <= rules.SpendPerConversionLimit(l) * response[t] * (1 + 1e-6), $"{l.Name} week {t}: breaks its per-channel limit");
                previous = s;
            }
        }
        var weekly = Enumerable.Range(0, p.HorizonWeeks).Select(t => spend.Sum(s => s[t])).ToArray();
        for (var t = 0; t < p.HorizonWeeks; t++)
        {
            var (low, high) = p.WeekRange(t);
            Assert.True(weekly[t] >= low - 1e-6 * Math.Max(1, low) && weekly[t] <= high + 1e-6 * Math.Max(1, weekly[t]), $"week {t}: {weekly[t]} outside [{low}, {high}]");
        }
        if (p.TotalRange is { } total)
            Assert.True(weekly.Sum() >= total.Low - 1e-6 * total.Low && weekly.Sum() <= total.High + 1e-6 * total.High, $"total {weekly.Sum()} outside [{total.Low}, {total.High}]");
    }
}
