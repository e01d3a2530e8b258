using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Planning;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Tests.Planning;

/// <summary>
/// A line that meets its per-line limit at no move is held at its closest level, week after week until it can, and the rest of
/// the path is planned around it; unreachable_limits refuse keeps the strict answer. Against hand-computed paths and the single week.
/// </summary>
public sealed class PathUnreachableLimitTests
{
    // No carry-over (θ = 0), Hill with α = 1: g(s) = β·s/(s + κ), so CLV:CAC = CLV·β/(s + κ) falls with spend and the level closest
    // to the limit is the lowest the band allows. a: CLV 450, β 100, κ 10,000 from 10,000: at 8,000 (−20%) CLV:CAC is 45,000/18,000
    // = 2.50 < 3, and from there at 6,400 it is 45,000/16,400 = 2.74 < 3: held at 8,000, then 6,400. b: CLV 2,000, β 1,000, κ 20,000
    // meets the limit everywhere (CLV:CAC > 40) and wants every unit the cap of 30,000 leaves: 22,000 (+10%) in week 1; in week 2 the
    // cap leaves it 23,600, which no move from 22,000 reaches (±10–20%: up to 19,800 or from 24,200), so it keeps 22,000.
    private static readonly HillAdstock A = new(0, 1, 10_000, 100);
    private static readonly HillAdstock B = new(0, 1, 20_000, 1_000);

    private static PathProblem TwoLines(int weeks, UnreachableLimits unreachable = UnreachableLimits.Closest)
    {
        var a = new AllocationLine("a", 10_000, A.SteadyState, 1, 0, 450, 10);
        var b = new AllocationLine("b", 20_000, B.SteadyState, 1, 0, 2_000, 100);
        var rules = new AllocationProblem([a, b], Budget: 30_000, BudgetMode: BudgetMode.Cap, BandMin: 0.1, BandMax: 0.2, MaxPaybackMonths: null, MinClvCac: 3,
            RelativeApproximationError: 1e-6, TimeLimitSeconds: 600, UnreachableLimits: unreachable);
        return new PathProblem(rules, [new PathCurve(A, 10_000), new PathCurve(B, 20_000)], weeks, RelativeGap: 1e-7);
    }

    private static PathCell Cell(PathResult r, string channel, int week) => r.Cells.Single(c => c.Channel == channel && c.Week == week);

    [Fact]
    public void A_line_that_cannot_meet_its_limit_is_held_at_the_closest_level_and_the_path_solves()
    {
        var result = PathPlanner.Solve(TwoLines(2));
        Assert.True(result.HasPlan, string.Join(" ", result.Clashes.Select(c => c.Explanation)));
        Assert.Equal(8_000, Cell(result, "a", 0).Spend, 1e-6);
        Assert.Equal(6_400, Cell(result, "a", 1).Spend, 1e-6);
        Assert.All(result.Cells.Where(c => c.Channel == "a"), c =>
        {
            Assert.Equal(StopReason.LimitUnreachable, c.Reason);
            Assert.Equal(["clv_cac"], c.Unreachable!.Limits);
        });
        Assert.Equal(2.5, Cell(result, "a", 0).ClvCac, 1e-9);
        Assert.Equal(45_000.0 / 16_400, Cell(result, "a", 1).ClvCac, 1e-9);
        Assert.Equal(2.5, Cell(result, "a", 0).Unreachable!.ClvCac, 1e-9);
        Assert.Equal(22_000, Cell(result, "b", 0).Spend, 1e-3);
        Assert.Equal(22_000, Cell(result, "b", 1).Spend, 1e-3);
        Assert.All(result.Cells.Where(c => c.Channel == "b"), c => Assert.NotEqual(StopReason.LimitUnreachable, c.Reason));
        // b never breaks its limit; the path is worth what its cells are worth on the curves
        Assert.All(result.Cells.Where(c => c.Channel == "b"), c => Assert.True(c.ClvCac >= 3));
        var expected = 450 * (A.SteadyState(8_000) + A.SteadyState(6_400)) + 2_000 * 2 * B.SteadyState(22_000);
        Assert.Equal(expected, result.PlanValue, 1e-9 * expected);
    }

    [Fact]
    public void Refuse_keeps_the_strict_answer_and_names_the_line()
    {
        var result = PathPlanner.Solve(TwoLines(2, UnreachableLimits.Refuse));
        Assert.Equal(AllocationStatus.Infeasible, result.Status);
        var clash = Assert.Single(result.Clashes, c => c.Subject == "a");
        Assert.Equal("clv_cac", clash.Limit);
        Assert.Contains("8,000", clash.Explanation);
    }

    [Fact]
    public void One_week_with_an_unreachable_limit_is_the_weekly_recommendation()
    {
        var p = TwoLines(1);
        var week = Allocator.Solve(p.Rules);
        var path = PathPlanner.Solve(p);
        Assert.True(week.HasPlan);
        Assert.True(path.HasPlan);
        foreach (var (l, cell) in week.Lines.Zip(path.Cells))
        {
            Assert.Equal(l.Recommended, cell.Spend, 1e-3);
            Assert.Equal(l.Unreachable?.Level, cell.Unreachable?.Level);
        }
        Assert.Equal(StopReason.LimitUnreachable, week.Lines[0].Reason);
        Assert.Equal(StopReason.LimitUnreachable, Cell(path, "a", 0).Reason);
        Assert.Equal(8_000, Cell(path, "a", 0).Spend, 1e-6);
        Assert.Equal(week.RecommendedObjective, path.PlanValue, 1e-9 * week.RecommendedObjective);
    }

    /// <summary>Seeds where the single week holds a line at its closest level and no budget nudges it.</summary>
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 120).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void One_week_holds_the_lines_the_weekly_recommendation_holds(int seed)
    {
        var p = PathFixtures.Random(seed, 1 + seed % 4, 1, carryOver: false, shares: null);
        p = p with { Rules = p.Rules with { RelativeApproximationError = 1e-6 }, WeeklyBudgets = null, TotalBudget = null, WeeklyMin = null, WeeklyMax = null };
        var week = Allocator.Solve(p.Rules);
        // the single week moves held lines off their closest levels when a budget needs it; the path instead lets them move in the band
        if (week.Lines.Any(l => l.Unreachable is { } u && Math.Abs(l.Recommended - u.Level) > 1e-9 * Math.Max(1, u.Level))) return;
        var path = PathPlanner.Solve(p);
        Assert.Equal(week.HasPlan, path.HasPlan);
        if (!path.HasPlan) return;
        var scale = Math.Max(1, Math.Abs(week.RecommendedObjective));
        Assert.True(Math.Abs(week.RecommendedObjective - path.PlanValue) <= 1e-4 * scale, $"week {week.RecommendedObjective} vs path {path.PlanValue}");
        foreach (var (l, cell) in week.Lines.Zip(path.Cells))
        {
            Assert.Equal(l.Unreachable is not null, cell.Reason == StopReason.LimitUnreachable);
            if (l.Unreachable is { } u) Assert.Equal(u.Level, cell.Spend, 1e-6 * Math.Max(1, u.Level));
            Assert.True(Math.Abs(l.Recommended - cell.Spend) <= 2e-3 * l.Current, $"{l.Name}: week {l.Recommended} vs path {cell.Spend} (today {l.Current})");
        }
    }
}
