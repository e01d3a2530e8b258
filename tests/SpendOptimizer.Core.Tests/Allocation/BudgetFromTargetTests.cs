using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds;
using SpendOptimizer.Worlds.Search;

namespace SpendOptimizer.Core.Tests.Allocation;

public sealed class BudgetFromTargetTests
{
    // Linear curves g(s) = a·s keep each line's CLV:CAC (CLV·a) and payback (1 / (a·margin)) fixed, so the blend is a
    // weighted mean of the lines' and the largest budget meeting it is worked out by hand. Margin 50, CLV 1000, cust 1.
    private static AllocationLine Linear(string name, double a, double spend = 10_000) => new(name, spend, s => a * s, 1, 100, 1000, 50);

    private static AllocationProblem Problem(BudgetTarget target, params AllocationLine[] lines) =>
        new(lines, BudgetMode: BudgetMode.Target, MaxPaybackMonths: null, MinClvCac: null, Target: target);

    [Fact]
    public void AClvCacTargetSpendsUntilTheBlendFallsToIt()
    {
        // A returns CLV:CAC 5, B 2. Blend ≥ 3.8 ⇔ 5·sA + 2·sB ≥ 3.8·(sA + sB) ⇔ sB ≤ (2/3)·sA: A at the top (12,000),
        // B at 8,000 — its lowest allowed level, which the target then pins. Budget 20,000, blend exactly 3.8.
        var r = BudgetFromTarget.Solve(Problem(new BudgetTarget(MinClvCac: 3.8), Linear("a", 0.005), Linear("b", 0.002)));
        Assert.True(r.Plan.HasPlan);
        Assert.Equal(20_000, r.Budget, 3);
        Assert.Equal(12_000, r.Plan.Lines[0].Recommended, 3);
        Assert.Equal(8_000, r.Plan.Lines[1].Recommended, 3);
        Assert.Equal(BudgetBinding.Target, r.Binding);
        Assert.Equal(3.8, r.ClvCac!.Value, 6);
        Assert.Equal(16_000, r.Least, 6);
        Assert.Equal(24_000, r.Most, 6);
        // The next 1% (200) goes to B, the only line with room, at 1000 · 0.002 per unit of spend.
        Assert.Equal(2, r.MarginalValue!.Value, 6);
    }

    [Fact]
    public void ALooseTargetStopsAtTheBandsUpperEdge()
    {
        // At the top (12,000 each) the blend is 3.5, above 3.4: the band binds first, and no more budget can be spent.
        var r = BudgetFromTarget.Solve(Problem(new BudgetTarget(MinClvCac: 3.4), Linear("a", 0.005), Linear("b", 0.002)));
        Assert.Equal(24_000, r.Budget, 3);
        Assert.Equal(BudgetBinding.BandUpperEdge, r.Binding);
        Assert.Null(r.MarginalValue);
    }

    [Fact]
    public void APaybackTargetLandsOnTheBandsGap()
    {
        // Paybacks 6 (a = 1/300) and 18 months (a = 1/900). Blend ≤ 8.5 ⇔ sA + sB ≤ 8.5·(sA/6 + sB/18) ⇔ sB ≤ 0.7895·sA:
        // with A at 12,000, B may reach 9,474, but B's allowed levels are [8,000, 9,000] ∪ {10,000} ∪ [11,000, 12,000],
        // so 9,000: budget 21,000, payback 21,000 / (50 · (40 + 10)) = 8.4 months.
        var r = BudgetFromTarget.Solve(Problem(new BudgetTarget(MaxPaybackMonths: 8.5), Linear("a", 1.0 / 300), Linear("b", 1.0 / 900)));
        Assert.Equal(21_000, r.Budget, 3);
        Assert.Equal(9_000, r.Plan.Lines[1].Recommended, 3);
        Assert.Equal(8.4, r.PaybackMonths!.Value, 6);
        Assert.Equal(BudgetBinding.Target, r.Binding);
    }

    [Fact]
    public void ATargetNoBudgetMeetsIsRefusedWithTheBestBlendAnyPlanReaches()
    {
        // Payback ≤ 8 ⇔ sB ≤ 0.6·sA ≤ 7,200, below B's least 8,000. The best blend is A at 12,000, B at 8,000:
        // 20,000 / (50 · (40 + 8.889)) = 8.18 months.
        var r = BudgetFromTarget.Solve(Problem(new BudgetTarget(MaxPaybackMonths: 8), Linear("a", 1.0 / 300), Linear("b", 1.0 / 900)));
        Assert.False(r.Plan.HasPlan);
        var clash = Assert.Single(r.Plan.Clashes);
        Assert.Equal("payback", clash.Limit);
        Assert.Equal(20_000 / (50 * (40 + 8_000 / 900.0)), clash.Achievable, 6);
    }

    [Fact]
    public void AMarginalValueFloorFundsTheLinesThatReturnMoreThanIt()
    {
        // Marginal values are constant: A 1000 · 0.005 = 5, B 2. A floor of 3 funds A to the top and takes B to the bottom;
        // a floor of 1 funds both; 10 funds neither, and the band's lower edge stops the cut.
        var lines = new[] { Linear("a", 0.005), Linear("b", 0.002) };
        var three = BudgetFromTarget.Solve(Problem(new BudgetTarget(MinMarginalValue: 3), lines));
        Assert.Equal(20_000, three.Budget, 3);
        Assert.Equal(BudgetBinding.Target, three.Binding);
        Assert.Equal(BudgetBinding.BandUpperEdge, BudgetFromTarget.Solve(Problem(new BudgetTarget(MinMarginalValue: 1), lines)).Binding);
        var ten = BudgetFromTarget.Solve(Problem(new BudgetTarget(MinMarginalValue: 10), lines));
        Assert.Equal(16_000, ten.Budget, 3);
        Assert.Equal(BudgetBinding.BandLowerEdge, ten.Binding);
    }

    [Fact]
    public void OnACurveTheFloorIsWhereTheMarginalValueFallsToIt()
    {
        // g = β·s / (s + κ), worth 1000: marginal 1000·β·κ / (s + κ)². With κ = 10,000 and β = 2·21,500² / 10⁷ it is 2
        // at s = 11,500, inside the upper half of the band; the linear line (marginal 5) goes to its top.
        const double kappa = 10_000, beta = 2 * 21_500.0 * 21_500 / 1e7;
        var curve = new AllocationLine("curve", 10_000, s => beta * s / (s + kappa), 1, 100, 1000, 50);
        var r = BudgetFromTarget.Solve(Problem(new BudgetTarget(MinMarginalValue: 2), curve, Linear("a", 0.005)));
        Assert.Equal(11_500, r.Plan.Lines[0].Recommended, 11_500 * 2e-3);
        Assert.Equal(23_500, r.Budget, 23_500 * 1e-3);
        Assert.Equal(2, r.Plan.Lines[0].MarginalReturn, 2e-2);
        Assert.Equal(BudgetBinding.Target, r.Binding);
    }

    [Fact]
    public void BothTargetsOrNoneAreRefused()
    {
        var lines = new[] { Linear("a", 0.005), Linear("b", 0.002) };
        Assert.Equal(AllocationStatus.Invalid, BudgetFromTarget.Solve(Problem(new BudgetTarget(MinClvCac: 3, MaxPaybackMonths: 6), lines)).Plan.Status);
        Assert.Equal(AllocationStatus.Invalid, BudgetFromTarget.Solve(Problem(new BudgetTarget(MinClvCac: -1), lines)).Plan.Status);
        Assert.Equal(AllocationStatus.Invalid, BudgetFromTarget.Solve(Problem(new BudgetTarget(), lines)).Plan.Status);
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 360).Where(s => s % 6 < 3).Select(s => new object[] { s });

    /// <summary>
    /// Exhaustive search over a grid of each line's allowed levels (band, bounds, per-line limits) on the true curves:
    /// the largest grid total meeting a CLV:CAC or payback target, or the best grid value less m per unit of spend.
    /// The model's chords lie under the curves, so the found budget may trail the grid's by the approximation; the grid
    /// may trail the continuous optimum by a step per line.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheFoundBudgetIsTheLargestGridBudgetMeetingTheTarget(int seed)
    {
        var small = SyntheticAllocation.SmallProblem(seed);
        var lines = small.Lines;
        const int perSide = 41;
        var levels = lines.Select(l => GridSearch.Levels(l, small, perSide).ToArray()).ToList();
        if (levels.Any(l => l.Length == 0) || lines.Any(l => l.CustomersPerConversion <= 0)) return;
        var today = lines.Sum(l => l.CurrentSpend);
        var step = lines.Sum(l => l.CurrentSpend * (small.BandMax - small.BandMin) / (perSide - 1));
        var kind = seed / 6 % 3;
        var clvToday = lines.Sum(l => l.Clv * l.CustomersPerConversion * l.Response(l.CurrentSpend)) / today;
        var paybackToday = today / lines.Sum(l => l.MonthlyMarginPerCustomer * l.CustomersPerConversion * l.Response(l.CurrentSpend));
        var worth = (seed * 0.37) % 1;
        var target = kind switch
        {
            0 => new BudgetTarget(MinClvCac: clvToday * (0.9 + 0.15 * worth)),
            1 => new BudgetTarget(MaxPaybackMonths: paybackToday * (0.95 + 0.15 * worth)),
            _ => new BudgetTarget(MinMarginalValue: lines.Average(l => small.Worth(l) * l.Response(l.CurrentSpend) / l.CurrentSpend) * (0.2 + worth)),
        };
        var p = small with { BudgetMode = BudgetMode.Target, Budget = null, Target = target };
        var r = BudgetFromTarget.Solve(p);

        // Grid: every combination of levels, its spend, its blend and its value less m per unit.
        double? bestBudget = null;
        var bestValue = double.NegativeInfinity;
        void Search(int i, double spend, double clv, double margin, double value)
        {
            if (i == lines.Count)
            {
                var meets = kind switch
                {
                    0 => clv >= target.Value * spend,
                    1 => spend <= target.Value * margin,
                    _ => true,
                };
                if (meets && (bestBudget is null || spend > bestBudget)) bestBudget = spend;
                if (kind == 2) bestValue = Math.Max(bestValue, value - target.Value * spend);
                return;
            }
            var l = lines[i];
            foreach (var s in levels[i])
            {
                var g = l.Response(s);
                Search(i + 1, spend + s, clv + l.Clv * l.CustomersPerConversion * g, margin + l.MonthlyMarginPerCustomer * l.CustomersPerConversion * g,
                    value + p.PlanningValue(l, s));
            }
        }
        Search(0, 0, 0, 0, 0);

        if (bestBudget is null)
        {
            if (!r.Plan.HasPlan) Assert.NotEmpty(r.Plan.Clashes);
        }
        else Assert.True(r.Plan.HasPlan, $"grid meets the target at {bestBudget:F0}, the search says {string.Join("; ", r.Plan.Clashes.Select(c => c.Explanation))}");
        if (!r.Plan.HasPlan) return;

        var plan = r.Plan.Lines.Select(l => l.Recommended).ToArray();
        Assert.Equal(r.Budget, plan.Sum(), 1e-6 * today);
        Assert.InRange(r.Budget, r.Least - 1e-6 * today, r.Most + 1e-6 * today);
        foreach (var (line, planned) in lines.Zip(r.Plan.Lines))
            if (planned.Reason != StopReason.LimitUnreachable)
                Assert.True(GridSearch.Allowed(line, p, planned.Recommended), $"{line.Name}: {planned.Recommended} from {line.CurrentSpend} breaks band, bound or limit");
        var (clvCac, payback) = BudgetFromTarget.Blended(p, r.Plan);
        if (kind == 0) Assert.True(clvCac >= target.Value * (1 - 1e-6), $"blended CLV:CAC {clvCac} under {target.Value}");
        if (kind == 1) Assert.True(payback <= target.Value * (1 + 1e-6), $"blended payback {payback} over {target.Value}");
        if (kind < 2)
        {
            Assert.True(r.Budget >= bestBudget - 2e-3 * today, $"found {r.Budget:F1}, grid {bestBudget:F1}");
            Assert.True(r.Budget <= bestBudget + step + 2e-3 * today, $"found {r.Budget:F1}, grid {bestBudget:F1} + step {step:F1}");
            Assert.Equal(r.Budget >= r.Most - 1e-6 * today, r.Binding == BudgetBinding.BandUpperEdge);
        }
        else
        {
            var found = Allocator.PlanningValue(p, plan) - target.Value * r.Budget;
            var slack = lines.Sum(l => (p.Worth(l) * Math.Max(1, Math.Max(l.RiseWeight, l.FallWeight)) * GridSearch.MaxSlope(l, p) + target.Value)
                * l.CurrentSpend * (p.BandMax - p.BandMin) / (perSide - 1));
            var scale = Math.Max(1, Math.Abs(Allocator.PlanningValue(p, plan))) * 1e-3;
            Assert.True(found >= bestValue - scale, $"found {found:F3} < grid {bestValue:F3}");
            Assert.True(found <= bestValue + slack + scale, $"found {found:F3} > grid {bestValue:F3} + {slack:F3}");
        }
    }
}
