using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Tests.Economics;

public sealed class CustomerValueTests
{
    [Fact]
    public void GeometricChurnWithoutDiscountIsAFiniteGeometricSum()
    {
        // Σ_{m<120} 50 · 0.8 · 0.95^m = 40 · (1 − 0.95^120) / 0.05
        var e = new UnitEconomics("x", 50, 0.8, 0.05, null, 0, null);
        Assert.Equal(40 * (1 - Math.Pow(0.95, 120)) / 0.05, CustomerValue.Clv(e), 9);
    }

    [Fact]
    public void DiscountingUsesTheMonthlyEquivalentOfTheAnnualRate()
    {
        // r = 1.1^(1/12) − 1; Σ 40 · (0.95 / (1 + r))^m over 120 months
        var e = new UnitEconomics("x", 50, 0.8, 0.05, null, 0.10, null);
        var q = 0.95 / Math.Pow(1.1, 1.0 / 12);
        Assert.Equal(40 * (1 - Math.Pow(q, 120)) / (1 - q), CustomerValue.Clv(e), 9);
    }

    [Fact]
    public void RetentionCurveContinuesAtItsLastMonthOverMonthRatio()
    {
        var e = new UnitEconomics("x", 10, 1, null, [1, 0.5, 0.4], 0, null);
        Assert.Equal(0.4 * 0.8, CustomerValue.Survival(e, 3), 12);
        Assert.Equal(0.4 * 0.8 * 0.8, CustomerValue.Survival(e, 4), 12);
        // 10 · (1 + 0.5 + 0.4 · Σ_{k<118} 0.8^k)
        Assert.Equal(10 * (1 + 0.5 + 0.4 * (1 - Math.Pow(0.8, 118)) / 0.2), CustomerValue.Clv(e), 9);
    }

    [Fact]
    public void OverrideCacAndPaybackByHand()
    {
        var e = new UnitEconomics("x", 50, 0.8, 0.05, null, 0.1, ClvOverride: 1234);
        Assert.Equal(1234, CustomerValue.Clv(e));
        Assert.Equal(200, CustomerValue.Cac(10_000, 50));
        Assert.Equal(5, CustomerValue.PaybackMonths(200, e)); // 200 / (50 · 0.8)
        Assert.Equal(double.PositiveInfinity, CustomerValue.Cac(100, 0));
    }

    [Fact]
    public void ChannelRowWinsOverTheAllRow()
    {
        UnitEconomics[] rows = [new("all", 40, 0.7, 0.05, null, 0.1, null), new("search", 60, 0.8, 0.03, null, 0.1, null)];
        Assert.Equal(60, CustomerValue.For("search", rows)!.ArpaMonthly);
        Assert.Equal(40, CustomerValue.For("video", rows)!.ArpaMonthly);
    }
}
