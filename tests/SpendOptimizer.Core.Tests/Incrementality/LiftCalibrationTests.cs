using SpendOptimizer.Core.Incrementality;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Tests.Incrementality;

public sealed class LiftCalibrationTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    private static LiftTest Test(string id, double incremental, double se, double attributed, DateOnly end, double? spend = null) =>
        new(id, "social", LiftTestKind.Geo, end.AddDays(-27), end, incremental, null, LiftUncertainty.FromStandardError(se), attributed, spend);

    [Fact]
    public void TwoFreshTestsCombineAsAPrecisionWeightedPosterior()
    {
        // f1 = 50/100 = 0.5, se 0.1 (v 0.01); f2 = 160/200 = 0.8, se 40/200 = 0.2 (v 0.04); prior N(1, 1).
        // precision = 1 + 100 + 25 = 126; mean = (1 + 50 + 20) / 126 = 0.563492…; sd = 1/√126 = 0.0890871…
        var f = LiftCalibration.Calibrate(["social"], [Test("t1", 50, 10, 100, AsOf), Test("t2", 160, 40, 200, AsOf)], AsOf, new CalibrationRule()).Single();
        Assert.Equal(71.0 / 126, f.Mean, 12);
        Assert.Equal(1 / Math.Sqrt(126), f.Sd, 12);
        Assert.Equal(71.0 / 126 - 1.6448536269514722 / Math.Sqrt(126), f.Lower90, 9);
        Assert.Equal(100.0 / 126, f.Tests.Single(t => t.TestId == "t1").Weight, 12);
    }

    [Fact]
    public void AYearOldTestCountsHalfAsMuch()
    {
        // Age 365 days at half-life 365: v = 0.01 · 2 = 0.02 → precision 1 + 50, mean (1 + 25) / 51.
        var f = LiftCalibration.Calibrate(["social"], [Test("old", 50, 10, 100, AsOf.AddDays(-365))], AsOf, new CalibrationRule()).Single();
        Assert.Equal(26.0 / 51, f.Mean, 12);
        Assert.Equal(365, f.Tests[0].AgeDays);
    }

    [Fact]
    public void ATestAtDoubleTodaysSpendIsInflatedByTheLogDistanceRule()
    {
        // Test spend 8,000 over 4 weeks = 2,000/week against 1,000 today: ratio 2, v = 0.01·(1 + (ln 2 / 0.7)²).
        var v = 0.01 * (1 + Math.Pow(Math.Log(2) / 0.7, 2));
        var f = LiftCalibration.Calibrate(["social"], [Test("far", 50, 10, 100, AsOf, spend: 8000)], AsOf, new CalibrationRule(),
            new Dictionary<string, double> { ["social"] = 1000 }).Single();
        Assert.Equal((1 + 0.5 / v) / (1 + 1 / v), f.Mean, 12);
        Assert.Equal(2, f.Tests[0].SpendRatio!.Value, 12);
    }

    [Fact]
    public void UntestedChannelGetsTheWidePriorAndTestsWithoutAttributionAreSkippedWithAReason()
    {
        var factors = LiftCalibration.Calibrate(["search", "social"],
            [new LiftTest("x", "social", LiftTestKind.Holdout, AsOf.AddDays(-10), AsOf, 10, null, LiftUncertainty.FromStandardError(2), null, null)],
            AsOf, new CalibrationRule(PriorMean: 1, PriorSd: 0.8));
        var search = factors.Single(f => f.Channel == "search");
        Assert.True(search.PriorOnly);
        Assert.Equal(1, search.Mean);
        Assert.Equal(0.8, search.Sd, 12);
        Assert.Equal(0, search.Lower90);
        var social = factors.Single(f => f.Channel == "social");
        Assert.True(social.PriorOnly);
        Assert.Contains("no attributed conversions", social.Skipped.Single());
    }

    [Fact]
    public void AttributedConversionsCanComeFromTheWindowLookup()
    {
        var test = new LiftTest("w", "social", LiftTestKind.Geo, AsOf.AddDays(-27), AsOf, 50, null, LiftUncertainty.FromStandardError(10), null, null);
        var f = LiftCalibration.Calibrate(["social"], [test], AsOf, new CalibrationRule(), attributedInWindow: (_, _, _) => 100).Single();
        Assert.Equal(51.0 / 101, f.Mean, 12);
    }
}
