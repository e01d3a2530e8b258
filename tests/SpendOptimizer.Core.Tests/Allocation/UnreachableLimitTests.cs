using SpendOptimizer.Core.Allocation;
using static SpendOptimizer.Core.Tests.Allocation.AllocationBruteForceTests;

namespace SpendOptimizer.Core.Tests.Allocation;

/// <summary>A line that meets a limit at no allowed level is held at the closest one; the rest is planned around it.</summary>
public sealed class UnreachableLimitTests
{
    private static AllocationLine Line(string name, double spend, double beta, double kappa, double clv, double? min = null, double? max = null) =>
        new(name, spend, Hill(beta, kappa, 1), 1, 100, clv, 50, Min: min, Max: max);

    [Fact]
    public void ChannelThatCannotMeetClvCacIsHeldAtTheDeepestCutAndTheRestIsPlannedAroundIt()
    {
        // bad: g(s) = 400·s/(s + 10,000), CLV 100, one customer per conversion, so CLV:CAC = 100·g(s)/s = 40,000/(s + 10,000):
        // 2.22 at 8,000 (the band's deepest cut), 1.82 at 12,000; it reaches 3 only at s ≤ 40,000/3 − 10,000 = 3,333.33.
        var bad = Line("bad", 10_000, 400, 10_000, clv: 100);
        var good = Line("good", 10_000, 500, 20_000, clv: 1000);
        var r = Allocator.Solve(new AllocationProblem([bad, good], MinClvCac: 3, MaxPaybackMonths: null));

        Assert.True(r.HasPlan, string.Join("; ", r.Clashes.Select(c => c.Explanation)));
        var held = r.Lines[0];
        Assert.Equal(StopReason.LimitUnreachable, held.Reason);
        Assert.Equal(8_000, held.Recommended, 6);
        var u = Assert.IsType<UnreachableLimit>(held.Unreachable);
        Assert.Equal(["clv_cac"], u.Limits);
        Assert.Equal(40_000.0 / 18_000, u.ClvCac, 9);
        Assert.Equal(40_000.0 / 3 - 10_000, u.SpendWhereMet!.Value, 3);
        // The equal budget then needs the other line at +20%, which it meets (CLV:CAC = 500,000 / 32,000 = 15.6).
        Assert.Equal(12_000, r.Lines[1].Recommended, 6);
        Assert.Null(r.Lines[1].Unreachable);
    }

    [Fact]
    public void AHeldChannelMovesByAsLittleAsTheBudgetNeeds()
    {
        // bad is held at 8,000 (−20%), closest to CLV:CAC ≥ 3. other meets the limit only up to 10,500 (183·500/(s + 20,000) ≥ 3),
        // so its up-band [11,000, 12,000] is gone and its largest allowed spend is today's 10,000: with bad at 8,000 the equal budget
        // of 20,000 is out of reach. bad then moves by as little as closes the gap of 2,000: to 10,000, today's spend, an allowed level.
        var bad = Line("bad", 10_000, 400, 10_000, clv: 100);
        var other = Line("other", 10_000, 500, 20_000, clv: 183);
        var r = Allocator.Solve(new AllocationProblem([bad, other], MinClvCac: 3, MaxPaybackMonths: null));

        Assert.True(r.HasPlan, string.Join("; ", r.Clashes.Select(c => c.Explanation)));
        Assert.Equal(StopReason.LimitUnreachable, r.Lines[0].Reason);
        Assert.Equal(10_000, r.Lines[0].Recommended, 6);
        Assert.Equal(8_000, r.Lines[0].Unreachable!.Level, 6);
        Assert.Equal(10_000, r.Lines[1].Recommended, 6);
    }

    [Fact]
    public void PaybackThatNoSpendMeetsSaysSo()
    {
        // g(s) = 40·s/(s + 10,000), margin 50 a month: payback = CAC / 50 = (s + 10,000) / 2,000 months ≥ 5 for any s > 0.
        var bad = Line("bad", 10_000, 40, 10_000, clv: 100_000);
        var r = Allocator.Solve(new AllocationProblem([bad, Line("good", 10_000, 500, 20_000, clv: 1000)], MinClvCac: null, MaxPaybackMonths: 4,
            BudgetMode: BudgetMode.Cap));
        var u = Assert.IsType<UnreachableLimit>(r.Lines[0].Unreachable);
        Assert.Equal(["payback"], u.Limits);
        Assert.Equal(18_000.0 / 2_000, u.PaybackMonths, 9);
        Assert.Null(u.SpendWhereMet);
    }

    [Fact]
    public void OnAnSShapedCurveTheClosestLevelIsWhereCostPerConversionIsLowest()
    {
        // g(s) = 1000·s²/(s² + 10,000²): cost per conversion s/g(s) = (s² + 10⁸)/(1000·s) is lowest at s = 10,000, today's spend,
        // so a line that meets CLV:CAC nowhere stays where it is rather than being cut.
        var sShaped = new AllocationLine("s", 10_000, Hill(1000, 10_000, 2), 1, 100, 30, 50);
        var options = Presolve.Line(sShaped, new AllocationProblem([sShaped], MinClvCac: 3, MaxPaybackMonths: null));
        var u = Assert.IsType<UnreachableLimit>(options.Unreachable);
        Assert.Equal(10_000, u.Level, 3);
        Assert.True(Assert.Single(options.Runs).IsKeep);
    }

    [Fact]
    public void ChannelAtZeroTodayStaysAtZeroUnlessBoundsGiveItARange()
    {
        var idle = Line("idle", 0, 5_000, 2_000, clv: 1000);
        var busy = Line("busy", 10_000, 500, 20_000, clv: 1000);
        var kept = Allocator.Solve(new AllocationProblem([idle, busy], MinClvCac: null, MaxPaybackMonths: null));
        Assert.Equal(0, kept.Lines[0].Recommended);
        Assert.Equal(StopReason.ZeroToday, kept.Lines[0].Reason);
        Assert.Equal(10_000, kept.Lines[1].Recommended, 6);

        // With bounds [1,000, 3,000] it may start; the equal budget lets busy give up 10–20%, so idle takes 2,000 at most.
        var started = Allocator.Solve(new AllocationProblem([idle with { Min = 1_000, Max = 3_000 }, busy], MinClvCac: null, MaxPaybackMonths: null));
        Assert.Equal(2_000, started.Lines[0].Recommended, 4);
        Assert.Equal(8_000, started.Lines[1].Recommended, 4);
    }
}
