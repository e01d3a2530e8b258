using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Tests.Economics;

public sealed class KpiTests
{
    // ARPA 50 × margin 0.8 = 40 a month; CLV overridden to 600 so the arithmetic stays by hand.
    private static readonly UnitEconomics Search = new("search", 50, 0.8, 0.05, null, 0, 600);
    private static readonly UnitEconomics Social = new("social", 20, 0.5, 0.05, null, 0, 150); // 10 a month

    [Fact]
    public void OneChannelMatchesTheTextbookFormulas()
    {
        // spend 1,000, 20 new customers: CAC 50, payback 50 / 40 = 1.25 months, CLV:CAC 600 / 50 = 12, ROAS 3,000 / 1,000 = 3.
        var m = Kpis.Measures([new KpiPart(new KpiTotals(1000, 25, 3000, 20), Search)]);
        Assert.Equal(new KpiMeasures(50, 3, 1.25, 12), m);
    }

    [Fact]
    public void IncrementalScalesResultsNotSpend()
    {
        var t = new KpiTotals(1000, 25, 3000, 20).Incremental(0.5);
        Assert.Equal(new KpiTotals(1000, 12.5, 1500, 10), t);
        // Half the customers: CAC doubles to 100, payback to 2.5 months, CLV:CAC halves to 6, ROAS to 1.5.
        Assert.Equal(new KpiMeasures(100, 1.5, 2.5, 6), Kpis.Measures([new KpiPart(t, Search)]));
    }

    [Fact]
    public void ABlendValuesEachChannelsCustomersWithItsOwnEconomics()
    {
        // search: 1,000 spend, 20 customers; social: 500 spend, 25 customers.
        // CAC = 1,500 / 45; payback = 1,500 / (20·40 + 25·10) = 1,500 / 1,050; CLV:CAC = (20·600 + 25·150) / 1,500 = 15,750 / 1,500.
        var m = Kpis.Measures([
            new KpiPart(new KpiTotals(1000, 25, 3000, 20), Search),
            new KpiPart(new KpiTotals(500, 30, 900, 25), Social),
        ]);
        Assert.Equal(1500.0 / 45, m.Cac!.Value, 12);
        Assert.Equal(3900.0 / 1500, m.Roas!.Value, 12);
        Assert.Equal(1500.0 / 1050, m.PaybackMonths!.Value, 12);
        Assert.Equal(15750.0 / 1500, m.ClvCac!.Value, 12);
    }

    [Fact]
    public void MissingEconomicsOrZeroDenominatorsGiveNullNeverInfinity()
    {
        var none = Kpis.Measures([new KpiPart(new KpiTotals(1000, 25, 3000, 20), null)]);
        Assert.Equal(new KpiMeasures(50, 3, null, null), none);
        var idle = Kpis.Measures([new KpiPart(new KpiTotals(0, 0, 0, 0), Search)]);
        Assert.Equal(new KpiMeasures(null, null, null, null), idle);
    }

    [Fact]
    public void ABlendOfOneIsTheChannelAndSumsAddUp()
    {
        var rng = new Random(3);
        for (var i = 0; i < 100; i++)
        {
            var parts = Enumerable.Range(0, rng.Next(1, 6)).Select(_ => new KpiPart(
                new KpiTotals(rng.NextDouble() * 1000, rng.NextDouble() * 50, rng.NextDouble() * 5000, rng.NextDouble() * 40 + 1), Search)).ToList();
            var blend = Kpis.Measures(parts);
            var total = Kpis.Sum(parts.Select(p => p.Totals));
            // Same economics everywhere: the blend is the single-channel formula on the summed totals.
            var single = Kpis.Measures([new KpiPart(total, Search)]);
            Assert.Equal(single.Cac!.Value, blend.Cac!.Value, 9);
            Assert.Equal(single.PaybackMonths!.Value, blend.PaybackMonths!.Value, 9);
            Assert.Equal(single.ClvCac!.Value, blend.ClvCac!.Value, 9);
            Assert.Equal(parts.Sum(p => p.Totals.Spend), total.Spend, 9);
        }
    }
}

public class KpiBlendTests
{
    [Fact]
    public void Each_part_is_scaled_by_its_own_factor_and_the_whole_factor_is_caused_over_reported()
    {
        var parts = new[]
        {
            new KpiPart(new(100, 10, 200, 4), null),
            new KpiPart(new(50, 30, 90, 6), null),
        };
        var b = Kpis.Blend(parts, [0.5, 2]);
        Assert.Equal(new KpiTotals(150, 40, 290, 10), b.Reported);
        // 10·0.5 + 30·2 = 65 conversions, 200·0.5 + 90·2 = 280 revenue, 4·0.5 + 6·2 = 14 new customers
        Assert.Equal(new KpiTotals(150, 65, 280, 14), b.Incremental);
        Assert.Equal(65.0 / 40, b.Factor, 12);
        Assert.Equal(150.0 / 10, b.Attributed.Cac);
        Assert.Equal(150.0 / 14, b.Caused.Cac!.Value, 12);
    }

    [Fact]
    public void With_nothing_reported_the_whole_factor_is_one()
    {
        var b = Kpis.Blend([new(new(100, 0, 0, 0), null)], [0.3]);
        Assert.Equal(1, b.Factor);
    }
}
