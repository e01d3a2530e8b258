using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Worlds;

/// <summary>
/// A seeded advertiser whose true response curves, attribution bias, lift tests and economics are known,
/// so a recommendation can be scored against the truth. It is also the demo workspace's data.
/// </summary>
public sealed record SyntheticWorld(
    IReadOnlyList<SyntheticChannel> Channels,
    DateOnly FirstWeek,
    IReadOnlyList<PerformanceRow> Performance,
    IReadOnlyList<LiftTest> LiftTests,
    IReadOnlyList<UnitEconomics> Economics,
    IReadOnlyList<PathRecord> Paths) : IScoredWorld
{
    private static readonly string[] Names = ["paid_search", "paid_social", "display", "video", "affiliates", "podcasts"];

    /// <param name="seed">Same seed, same world.</param>
    /// <param name="weeks">Weekly history length (104 = two years).</param>
    /// <param name="firstWeek">Monday of the first week.</param>
    /// <param name="noiseCv">Week-to-week noise on true conversions (coefficient of variation).</param>
    /// <param name="testAll">The channel never lift-tested gets a test too, as if the advice to test it had been taken; the
    /// rest of the world (curves, history, the other tests) stays the same.</param>
    public static SyntheticWorld Generate(int seed, int weeks = 104, DateOnly? firstWeek = null, double noiseCv = 0.07, int journeys = 20_000,
        bool testAll = false)
    {
        var rng = new SeededRandom(seed);
        var start = firstWeek ?? new DateOnly(2024, 1, 1);
        var channels = Names.Select(name => RandomChannel(rng, name)).ToList();

        var performance = new List<PerformanceRow>();
        var trueWeekly = new double[channels.Count, weeks];
        var spendWeekly = new double[channels.Count, weeks];
        for (var c = 0; c < channels.Count; c++)
        {
            var ch = channels[c];
            var adstock = ch.TypicalWeeklySpend / (1 - ch.Theta);
            var phase = rng.Uniform(0, 2 * Math.PI);
            for (var t = 0; t < weeks; t++)
            {
                // Flighting and seasonality move spend enough (±35%) for a curve to be identifiable.
                var season = 1 + 0.2 * Math.Sin(2 * Math.PI * t / 52 + phase);
                var flight = rng.Uniform() < 0.15 ? rng.Uniform(0.5, 1.6) : 1;
                var spend = Math.Round(ch.TypicalWeeklySpend * season * flight * rng.LogNormalFactor(0.15), 2);
                adstock = spend + ch.Theta * adstock;
                var incremental = ch.Hill(adstock) * rng.LogNormalFactor(noiseCv);
                var attributed = incremental * ch.AttributionBias;
                spendWeekly[c, t] = spend;
                trueWeekly[c, t] = incremental;
                var impressions = (long)(spend * rng.Uniform(80, 140));
                performance.Add(new PerformanceRow(
                    start.AddDays(7 * t), ch.Name, spend, impressions, (long)(impressions * rng.Uniform(0.008, 0.02)),
                    Math.Round(attributed, 2), Math.Round(attributed * ch.RevenuePerConversion, 2),
                    Math.Round(attributed * ch.NewCustomerShare, 2), Grain.Week));
            }
        }

        var liftTests = new List<LiftTest>();
        for (var c = 0; c < channels.Count; c++)
        {
            // Most channels were tested once or twice in the last year, over four weeks; one never was.
            var tests = c == channels.Count - 1 ? (testAll ? 1 : 0) : rng.Integer(1, 3);
            for (var k = 0; k < tests; k++)
            {
                var from = weeks - 52 + rng.Integer(0, 44);
                double incremental = 0, attributed = 0, spend = 0;
                for (var t = from; t < from + 4; t++)
                {
                    incremental += trueWeekly[c, t];
                    attributed += trueWeekly[c, t] * channels[c].AttributionBias;
                    spend += spendWeekly[c, t];
                }
                var se = incremental * rng.Uniform(0.08, 0.15);
                var measured = incremental + rng.Normal(0, se);
                liftTests.Add(new LiftTest($"{channels[c].Name}-{k + 1}", channels[c].Name, k % 2 == 0 ? LiftTestKind.Geo : LiftTestKind.Holdout,
                    start.AddDays(7 * from), start.AddDays(7 * from + 27), Math.Round(measured, 1), null,
                    LiftUncertainty.FromStandardError(Math.Round(se, 2)), Math.Round(attributed, 1), Math.Round(spend, 2)));
            }
        }

        var economics = new List<UnitEconomics> { new(UnitEconomics.AllChannels, 45, 0.75, 0.04, null, 0.10, null) };
        economics.AddRange(channels.Select(ch => new UnitEconomics(ch.Name, ch.ArpaMonthly, Margin, ch.MonthlyChurn, null, DiscountRate, null)));

        return new SyntheticWorld(channels, start, performance, liftTests, economics, GeneratePaths(rng, channels, journeys));
    }

    /// <summary>Today's plan: each channel's typical weekly spend.</summary>
    public IReadOnlyDictionary<string, double> CurrentPlan => Channels.ToDictionary(c => c.Name, c => c.TypicalWeeklySpend);

    /// <summary>The allocation lines as they truly are: true curves at today's typical spend, true economics.</summary>
    public IReadOnlyList<AllocationLine> TrueLines(IReadOnlyDictionary<string, double>? currentSpend = null) =>
        Channels.Select(c =>
        {
            var e = Economics.Single(x => x.Channel == c.Name);
            return new AllocationLine(c.Name, currentSpend?.GetValueOrDefault(c.Name) ?? c.TypicalWeeklySpend, c.SteadyState,
                c.NewCustomerShare, c.RevenuePerConversion, CustomerValue.Clv(e), e.ArpaMonthly * e.GrossMargin);
        }).ToList();

    private static SyntheticChannel RandomChannel(SeededRandom rng, string name)
    {
        var spend = Math.Round(rng.Uniform(50, 400)) * 100;
        var theta = rng.Uniform(0.1, 0.6);
        var steadyAdstock = spend / (1 - theta);
        // κ around today's adstock: some channels are near saturation, others have room to grow.
        var kappa = steadyAdstock * rng.Uniform(0.5, 2.0);
        var alpha = rng.Uniform(0.8, 2.2);
        var arpa = Math.Round(rng.Uniform(30, 70), 2);
        var churn = Math.Round(rng.Uniform(0.02, 0.08), 3);
        var newCustomerShare = rng.Uniform(0.5, 0.9);
        // Today's true CLV:CAC between 3.5 and 8: healthy, so the default limits bind only on some moves.
        var clv = CustomerValue.Clv(new UnitEconomics(name, arpa, Margin, churn, null, DiscountRate, null));
        var costPerConversion = clv / rng.Uniform(3.5, 8) * newCustomerShare;
        var beta = spend / costPerConversion * (1 + Math.Pow(kappa / steadyAdstock, alpha));
        return new SyntheticChannel(name, spend, theta, alpha, kappa, beta,
            AttributionBias: rng.Uniform(0.6, 2.2),
            RevenuePerConversion: Math.Round(rng.Uniform(60, 200), 2),
            NewCustomerShare: newCustomerShare,
            ArpaMonthly: arpa,
            MonthlyChurn: churn);
    }

    private const double Margin = 0.75;
    private const double DiscountRate = 0.10;

    /// <summary>Journeys of 1–6 touches, channels drawn by spend share, converting more after effective channels.</summary>
    private static List<PathRecord> GeneratePaths(SeededRandom rng, IReadOnlyList<SyntheticChannel> channels, int journeys) =>
        Journeys.Generate(rng, channels.Select(c => c.Name).ToList(), channels.Select(c => c.TypicalWeeklySpend).ToList(),
            channels.Select(c => c.SteadyState(c.TypicalWeeklySpend) / c.TypicalWeeklySpend).ToList(), journeys);
}
