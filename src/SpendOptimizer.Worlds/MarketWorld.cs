using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Worlds;

/// <summary>
/// A second family of seeded advertisers, built unlike <see cref="SyntheticWorld"/> in the ways real markets differ:
/// 8 channels from a larger list; curves that are logarithmic, exponentially saturating, linear up to a knee, or
/// sometimes Hill; carry-over θ up to 0.7; spend that wanders 0.4–1.6× around a stated current plan (AR(1) in log
/// spend plus flighting weeks) rather than sitting on it; demand seasonality; missing and paused weeks; attribution
/// bias 0.4–2.5; lift tests on 5 channels of which about a third are off by 1–3 standard errors; per-channel
/// economics; and journeys in only about half the worlds. On 1–2 channels today's plan already breaks CLV:CAC ≥ 3 or
/// payback ≤ 12 months in truth, sometimes beyond what any move within ±20% repairs.
/// </summary>
/// <param name="Channels">The truth per channel: shape, parameters, bias, whether and how its tests are off.</param>
/// <param name="SeasonAmplitude">Annual demand seasonality: response × (1 + amplitude · sin(2πt/52 + phase)).</param>
/// <param name="HasJourneys">Whether the advertiser has customer paths (<see cref="Paths"/> is empty when not).</param>
/// <param name="TrueTestLift">Per lift test id, the incremental conversions the channel truly caused in the test's window.</param>
public sealed record MarketWorld(
    IReadOnlyList<MarketChannel> Channels,
    DateOnly FirstWeek,
    double SeasonAmplitude,
    bool HasJourneys,
    IReadOnlyList<PerformanceRow> Performance,
    IReadOnlyList<LiftTest> LiftTests,
    IReadOnlyList<UnitEconomics> Economics,
    IReadOnlyList<PathRecord> Paths,
    IReadOnlyDictionary<string, double> TrueTestLift) : IScoredWorld
{
    /// <summary>The channels a world draws its 8 from (kept in this order).</summary>
    public static readonly IReadOnlyList<string> ChannelNames =
    [
        "search_brand", "search_generic", "shopping", "social_prospecting", "social_retargeting", "display", "video", "ctv",
        "affiliates", "podcasts", "native",
    ];

    /// <summary>
    /// Mixed into the seed of this family's random stream ("MARKET\0\0"), so world <c>seed</c> here shares no draws with
    /// <see cref="SyntheticWorld.Generate"/>(seed) or with any other seed of it (see <see cref="SeededRandom(int, ulong)"/>).
    /// </summary>
    public const ulong Stream = 0x4D41524B45540000UL;

    public const int ChannelCount = 8;
    public const int TestedChannels = 5;

    /// <summary>The limits today's plan is set against: true payback ≤ 12 months and CLV:CAC ≥ 3 on all but 1–2 channels.</summary>
    public const double PaybackLimit = 12, ClvCacLimit = 3;

    private const double DiscountRate = 0.10;

    public IReadOnlyDictionary<string, double> CurrentPlan => Channels.ToDictionary(c => c.Name, c => c.CurrentWeeklySpend);

    public MarketChannel Channel(string name) => Channels.Single(c => c.Name == name);

    /// <param name="seed">Same seed, same world.</param>
    /// <param name="weeks">Weekly history length (104 = two years; at least 60).</param>
    /// <param name="firstWeek">Monday of the first week.</param>
    /// <param name="journeys">Journeys simulated when the world has them.</param>
    /// <param name="testAll">The channels never lift-tested get unbiased tests too, as if the advice to test them had been
    /// taken; they are drawn from a stream of their own, so the rest of the world stays the same.</param>
    public static MarketWorld Generate(int seed, int weeks = 104, DateOnly? firstWeek = null, int journeys = 20_000, bool testAll = false)
    {
        if (weeks < 60) throw new ArgumentOutOfRangeException(nameof(weeks), "at least 60 weeks: lift tests fall in the last year, pauses before it");
        var rng = new SeededRandom(seed, Stream);
        var extraTests = new SeededRandom(seed, Stream ^ 0x5445535400000000UL);
        var start = firstWeek ?? new DateOnly(2024, 1, 1);
        var hasJourneys = rng.Uniform() < 0.5;

        var names = Subset(rng, ChannelNames, ChannelCount);
        var breaking = Subset(rng, names, rng.Integer(1, 3)).ToHashSet();
        var tested = Subset(rng, names, TestedChannels).ToHashSet();
        var seasonAmplitude = rng.Uniform(0.05, 0.20);
        var seasonPhase = rng.Uniform(0, 2 * Math.PI);
        var paused = rng.Uniform() < 0.4 ? Subset(rng, names, rng.Integer(1, 3)).ToHashSet() : [];
        var missing = rng.Uniform() < 0.4 ? Subset(rng, names, rng.Integer(1, 3)).ToHashSet() : [];

        var channels = new List<MarketChannel>();
        var performance = new List<PerformanceRow>();
        var liftTests = new List<LiftTest>();
        var trueTestLift = new Dictionary<string, double>();
        foreach (var name in names)
        {
            var truth = RandomChannel(rng, name, breaking.Contains(name));
            double? testBias = !tested.Contains(name) ? null : rng.Uniform() < 1.0 / 3 ? (rng.Uniform() < 0.5 ? -1 : 1) * rng.Uniform(1, 3) : 0;

            // Spend: AR(1) in log spend around the plan, clipped to 0.4–1.6×, with occasional flighting weeks.
            var phi = rng.Uniform(0.8, 0.95);
            var sigma = rng.Uniform(0.08, 0.15);
            var x = rng.Normal(0, sigma / Math.Sqrt(1 - phi * phi));
            var multiple = new double[weeks];
            for (var t = 0; t < weeks; t++)
            {
                x = phi * x + rng.Normal(0, sigma);
                var m = Math.Exp(x);
                if (rng.Uniform() < 0.06) m *= rng.Uniform(0.55, 1.5);
                multiple[t] = Math.Clamp(m, 0.4, 1.6);
            }
            // The history wanders around the plan; its last week is not the plan.
            if (Math.Abs(multiple[^1] - 1) < 0.03) multiple[^1] = multiple[^1] < 1 ? 0.95 : 1.05;

            var pausedWeeks = new HashSet<int>();
            if (paused.Contains(name))
            {
                var from = rng.Integer(4, Math.Max(5, weeks - 59));
                var length = rng.Integer(1, 5);
                for (var t = from; t < from + length; t++) pausedWeeks.Add(t);
            }
            var missingWeeks = new HashSet<int>();
            if (missing.Contains(name))
                for (var count = rng.Integer(2, 6); missingWeeks.Count < count;) missingWeeks.Add(rng.Integer(0, weeks));

            var spend = new double[weeks];
            var incremental = new double[weeks];
            var adstock = truth.CurrentWeeklySpend * multiple[0] / (1 - truth.Theta);
            for (var t = 0; t < weeks; t++)
            {
                spend[t] = pausedWeeks.Contains(t) ? 0 : Math.Round(truth.CurrentWeeklySpend * multiple[t], 2);
                adstock = spend[t] + truth.Theta * adstock;
                var season = 1 + seasonAmplitude * Math.Sin(2 * Math.PI * t / 52 + seasonPhase);
                incremental[t] = truth.Curve.At(adstock) * season * rng.LogNormalFactor(truth.NoiseCv);
                var impressions = (long)(spend[t] * rng.Uniform(80, 140));
                var clicks = (long)(impressions * rng.Uniform(0.008, 0.02));
                if (missingWeeks.Contains(t)) continue;
                var attributed = incremental[t] * truth.AttributionBias;
                performance.Add(new PerformanceRow(start.AddDays(7 * t), name, spend[t], impressions, clicks, Math.Round(attributed, 2),
                    Math.Round(attributed * truth.RevenuePerConversion, 2), Math.Round(attributed * truth.NewCustomerShare, 2), Grain.Week));
            }

            if (testBias is { } off)
                AddTests(rng, name, off, truth.AttributionBias, weeks, start, spend, incremental, liftTests, trueTestLift);
            else if (testAll)
            {
                testBias = 0;
                AddTests(extraTests, name, 0, truth.AttributionBias, weeks, start, spend, incremental, liftTests, trueTestLift);
            }
            channels.Add(truth with
            {
                TestBiasInSe = testBias,
                MissingWeeks = missingWeeks.Order().Select(t => start.AddDays(7 * t)).ToList(),
                PausedWeeks = pausedWeeks.Order().Select(t => start.AddDays(7 * t)).ToList(),
            });
        }

        var economics = new List<UnitEconomics>
        {
            new(UnitEconomics.AllChannels, Math.Round(channels.Average(c => c.Economics.ArpaMonthly), 2),
                Math.Round(channels.Average(c => c.Economics.GrossMargin), 3), Math.Round(channels.Average(c => c.Economics.MonthlyChurn!.Value), 4),
                null, DiscountRate, null),
        };
        economics.AddRange(channels.Select(c => c.Economics));

        var paths = hasJourneys
            ? Journeys.Generate(rng, names, channels.Select(c => c.CurrentWeeklySpend).ToList(),
                channels.Select(c => c.SteadyState(c.CurrentWeeklySpend) / c.CurrentWeeklySpend).ToList(), journeys)
            : [];
        return new MarketWorld(channels, start, seasonAmplitude, hasJourneys, performance, liftTests, economics, paths, trueTestLift);
    }

    /// <summary>One or two four-week tests in the last year, clear of paused weeks; off ≠ 0: each off by that many standard errors.</summary>
    private static void AddTests(SeededRandom rng, string name, double off, double bias, int weeks, DateOnly start, double[] spend,
        double[] incremental, List<LiftTest> liftTests, Dictionary<string, double> trueTestLift)
    {
        var tests = rng.Integer(1, 3);
        for (var k = 0; k < tests; k++)
        {
            var from = weeks - 52 + rng.Integer(0, 49);
            double inc = 0, attributed = 0, spent = 0;
            for (var t = from; t < from + 4; t++)
            {
                inc += incremental[t];
                attributed += incremental[t] * bias;
                spent += spend[t];
            }
            var se = inc * rng.Uniform(0.08, 0.20);
            var measured = off != 0 ? inc + off * se : inc + rng.Normal(0, se);
            trueTestLift[$"{name}-{k + 1}"] = inc;
            liftTests.Add(new LiftTest($"{name}-{k + 1}", name, k % 2 == 0 ? LiftTestKind.Geo : LiftTestKind.Holdout,
                start.AddDays(7 * from), start.AddDays(7 * from + 27), Math.Round(measured, 1), null,
                LiftUncertainty.FromStandardError(Math.Round(se, 2)), Math.Round(attributed, 1), Math.Round(spent, 2)));
        }
    }

    public IReadOnlyList<AllocationLine> TrueLines(IReadOnlyDictionary<string, double>? current = null) =>
        Channels.Select(c => new AllocationLine(c.Name, current is not null && current.TryGetValue(c.Name, out var s) ? s : c.CurrentWeeklySpend,
            c.SteadyState, c.NewCustomerShare, c.RevenuePerConversion, c.Clv, c.Economics.ArpaMonthly * c.Economics.GrossMargin)).ToList();

    /// <summary>
    /// A channel with today's plan 2,000–60,000 a week (log-uniform). Its curve is scaled so that at the plan
    /// s / (K · g(s)) = q, K the spend per conversion the default limits allow (<see cref="AllocationProblem.SpendPerConversionLimit"/>):
    /// q in 0.45–0.92 (inside both limits, CLV:CAC up to about 7) or, on a breaking channel, above 1 (CLV:CAC below 3 down to
    /// about 1.8, or payback beyond 12 months): either just enough that some level within the band repairs it, or more than any can.
    /// </summary>
    private static MarketChannel RandomChannel(SeededRandom rng, string name, bool breaking)
    {
        var plan = Math.Round(Math.Exp(rng.Uniform(Math.Log(2_000), Math.Log(60_000))) / 100) * 100;
        var theta = rng.Uniform(0, 0.7);
        var adstock = plan / (1 - theta);
        // How far along its curve today's plan sits varies: near saturation on some channels, room on others.
        var curve = rng.Pick([0.3, 0.3, 0.25, 0.15]) switch
        {
            0 => new ResponseCurve(ResponseShape.Logarithmic, 1, adstock / Math.Exp(rng.Uniform(Math.Log(0.2), Math.Log(8)))),
            1 => new ResponseCurve(ResponseShape.ExponentialSaturation, 1, adstock / Math.Exp(rng.Uniform(Math.Log(0.2), Math.Log(3)))),
            2 => new ResponseCurve(ResponseShape.LinearKnee, 1, adstock * rng.Uniform(0.3, 1.5), Knee: adstock * rng.Uniform(0.4, 1.3)),
            _ => new ResponseCurve(ResponseShape.Hill, 1, adstock * rng.Uniform(0.5, 2.0), Alpha: rng.Uniform(1.0, 2.5)),
        };
        var economics = new UnitEconomics(name, Math.Round(rng.Uniform(20, 120), 2), Math.Round(rng.Uniform(0.5, 0.85), 3),
            Math.Round(rng.Uniform(0.015, 0.10), 4), null, DiscountRate, null);
        var customers = rng.Uniform(0.5, 0.95);
        var clv = CustomerValue.Clv(economics);
        var k = Math.Min(PaybackLimit * economics.ArpaMonthly * economics.GrossMargin * customers, clv * customers / ClvCacLimit);
        // A breaking channel is repairable (some level within the default band meets the limits) about half the time.
        // c: the lowest spend per conversion the band reaches, relative to today's.
        var c = BestCostWithinBand(curve, theta, plan);
        var repairable = rng.Uniform() < 0.5 && 1 / c - 1 >= 0.01;
        var q = !breaking ? rng.Uniform(0.45, 0.92)
            : repairable ? 1 + rng.Uniform(0.2, 0.9) * (1 / c - 1)
            : Math.Min(1.7, Math.Max(1.03, rng.Uniform(1.03, 1.55) / c));
        return new MarketChannel(name, plan, curve.Through(adstock, plan / (k * q)), theta,
            AttributionBias: Math.Exp(rng.Uniform(Math.Log(0.4), Math.Log(2.5))),
            RevenuePerConversion: Math.Round(rng.Uniform(40, 250), 2),
            NewCustomerShare: customers,
            Economics: economics,
            NoiseCv: rng.Uniform(0.05, 0.12),
            TestBiasInSe: null, MissingWeeks: [], PausedWeeks: []);
    }

    /// <summary>min s / g(s) over keep and the default band (10–20% either way), relative to today's: below 1 when a cut helps.</summary>
    private static double BestCostWithinBand(ResponseCurve curve, double theta, double plan)
    {
        double Cost(double s) => s / curve.At(s / (1 - theta));
        var best = 1.0;
        for (var i = 0; i <= 100; i++)
        {
            var share = 0.1 + 0.1 * i / 100;
            best = Math.Min(best, Math.Min(Cost(plan * (1 - share)), Cost(plan * (1 + share))) / Cost(plan));
        }
        return best;
    }

    /// <summary>A random <paramref name="count"/> of <paramref name="items"/>, in their order.</summary>
    private static List<string> Subset(SeededRandom rng, IReadOnlyList<string> items, int count)
    {
        var keys = items.Select(_ => rng.NextDouble()).ToArray();
        var chosen = Enumerable.Range(0, items.Count).OrderBy(i => keys[i]).Take(count).ToHashSet();
        return items.Where((_, i) => chosen.Contains(i)).ToList();
    }
}
