using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Worlds.Tests;

/// <summary>The market family keeps every property it states, over 40 seeds.</summary>
public sealed class MarketWorldTests
{
    private static readonly Lazy<IReadOnlyList<MarketWorld>> Family = new(() => Enumerable.Range(1, 40).Select(s => MarketWorld.Generate(s)).ToList());
    private static IReadOnlyList<MarketWorld> Worlds => Family.Value;

    [Fact]
    public void The_same_seed_gives_the_same_world_and_another_seed_another()
    {
        var a = MarketWorld.Generate(5);
        var b = MarketWorld.Generate(5);
        var c = MarketWorld.Generate(6);
        Assert.Equal(a.Performance, b.Performance);
        Assert.Equal(a.LiftTests, b.LiftTests);
        Assert.Equal(a.Economics, b.Economics);
        Assert.Equal(a.Paths.Select(p => (p.Path.ToString(), p.TotalConversions, p.TotalNull)), b.Paths.Select(p => (p.Path.ToString(), p.TotalConversions, p.TotalNull)));
        Assert.Equal(a.CurrentPlan, b.CurrentPlan);
        Assert.Equal(a.Channels.Select(ch => (ch.Name, ch.Curve, ch.Theta, ch.AttributionBias, ch.TestBiasInSe)),
            b.Channels.Select(ch => (ch.Name, ch.Curve, ch.Theta, ch.AttributionBias, ch.TestBiasInSe)));
        Assert.NotEqual(a.CurrentPlan, c.CurrentPlan);
        Assert.NotEqual(a.Performance.Select(p => p.Spend), c.Performance.Select(p => p.Spend));
    }

    [Fact]
    public void Its_stream_shares_no_draws_with_the_first_familys_for_the_same_seed()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var plain = new SeededRandom(seed);
            var market = new SeededRandom(seed, MarketWorld.Stream);
            var first = Enumerable.Range(0, 200).Select(_ => plain.NextDouble()).ToHashSet();
            Assert.DoesNotContain(Enumerable.Range(0, 200).Select(_ => market.NextDouble()), first.Contains);
        }
    }

    [Fact]
    public void Eight_channels_with_a_stated_plan_and_a_history_that_wanders_around_it()
    {
        foreach (var w in Worlds)
        {
            Assert.Equal(8, w.Channels.Select(c => c.Name).Distinct().Count());
            Assert.All(w.Channels, c => Assert.Contains(c.Name, MarketWorld.ChannelNames));
            Assert.Equal(w.Channels.Select(c => c.Name).Order(), w.CurrentPlan.Keys.Order());
            foreach (var c in w.Channels)
            {
                var plan = w.CurrentPlan[c.Name];
                Assert.InRange(plan, 2_000, 60_000);
                var rows = w.Performance.Where(p => p.Channel == c.Name).OrderBy(p => p.Date).ToList();
                Assert.Equal(104 - c.MissingWeeks.Count, rows.Count);
                Assert.All(rows.Where(r => r.Spend > 0), r => Assert.InRange(r.Spend / plan, 0.4 - 1e-6, 1.6 + 1e-6));
                Assert.All(rows, r => Assert.Equal(r.Spend == 0, c.PausedWeeks.Contains(r.Date)));
                Assert.All(c.MissingWeeks, d => Assert.DoesNotContain(rows, r => r.Date == d));
                // It wanders: not pinned to the plan, and the last week is not the plan.
                var spends = rows.Where(r => r.Spend > 0).Select(r => r.Spend / plan).ToList();
                Assert.True(spends.Max() - spends.Min() > 0.2, $"{c.Name}: spend moved only {spends.Min():F2}–{spends.Max():F2}× the plan");
                if (rows[^1].Date == w.FirstWeek.AddDays(7 * 103) && rows[^1].Spend > 0) Assert.True(Math.Abs(rows[^1].Spend / plan - 1) >= 0.02);
                Assert.All(rows.Where(r => r.Spend > 0), r => Assert.True(r.NewCustomers > 0 && r.Revenue > 0 && r.Conversions > 0));
            }
        }
        Assert.Contains(Worlds, w => w.Channels.Any(c => c.MissingWeeks.Count > 0));
        Assert.Contains(Worlds, w => w.Channels.All(c => c.MissingWeeks.Count == 0));
        Assert.Contains(Worlds, w => w.Channels.Any(c => c.PausedWeeks.Count > 0));
    }

    [Fact]
    public void Curves_are_mostly_not_Hill_and_every_shape_appears()
    {
        var channels = Worlds.SelectMany(w => w.Channels).ToList();
        foreach (var shape in Enum.GetValues<ResponseShape>()) Assert.Contains(channels, c => c.Shape == shape);
        Assert.True(channels.Count(c => c.Shape != ResponseShape.Hill) > channels.Count / 2);
        Assert.All(channels.Where(c => c.Shape == ResponseShape.Hill), c => Assert.InRange(c.Curve.Alpha, 1.0, 2.5));
        Assert.All(channels, c => Assert.InRange(c.Theta, 0, 0.7));
        Assert.All(channels, c => Assert.Equal(c.Curve.At(c.CurrentWeeklySpend / (1 - c.Theta)), c.SteadyState(c.CurrentWeeklySpend)));
        // Curvature at the plan varies: elasticity of g near saturation on some channels, close to linear on others.
        var elasticity = channels.Select(c => Math.Log(c.SteadyState(c.CurrentWeeklySpend * 1.01) / c.SteadyState(c.CurrentWeeklySpend)) / Math.Log(1.01)).ToList();
        Assert.Contains(elasticity, e => e < 0.25);
        Assert.Contains(elasticity, e => e > 0.8);
        Assert.InRange(Worlds.Min(w => w.SeasonAmplitude), 0.05, 0.2);
        Assert.InRange(Worlds.Max(w => w.SeasonAmplitude), 0.05, 0.2);
    }

    [Fact]
    public void Todays_plan_breaks_a_limit_in_truth_on_one_or_two_channels_and_some_cannot_be_repaired_within_the_band()
    {
        var rules = new ScoreRules();
        var unmeetable = 0;
        var repairable = 0;
        foreach (var w in Worlds)
        {
            var breaking = w.Channels.Where(c => c.ClvCac(c.CurrentWeeklySpend) < 3 || c.PaybackMonths(c.CurrentWeeklySpend) > 12).ToList();
            Assert.InRange(breaking.Count, 1, 2);
            Assert.All(w.Channels, c => Assert.InRange(c.ClvCac(c.CurrentWeeklySpend), 1.75, 7.5));
            var optimum = TrueOptimum.Of(w, rules: rules);
            Assert.All(optimum.Unmeetable, name => Assert.Contains(breaking, c => c.Name == name));
            unmeetable += optimum.Unmeetable.Count;
            repairable += breaking.Count - optimum.Unmeetable.Count;
        }
        Assert.True(unmeetable >= 5, $"{unmeetable} unmeetable channels");
        Assert.True(repairable >= 5, $"{repairable} breaking channels a move repairs");
    }

    [Fact]
    public void Five_channels_are_tested_and_about_a_third_of_them_off_by_one_to_three_standard_errors()
    {
        var off = 0;
        var tested = 0;
        var unbiasedZ = new List<double>();
        foreach (var w in Worlds)
        {
            Assert.Equal(5, w.Channels.Count(c => c.Tested));
            Assert.Equal(5, w.LiftTests.Select(t => t.Channel).Distinct().Count());
            var lastYear = w.FirstWeek.AddDays(7 * 52);
            foreach (var c in w.Channels.Where(c => c.Tested))
            {
                var tests = w.LiftTests.Where(t => t.Channel == c.Name).ToList();
                Assert.InRange(tests.Count, 1, 2);
                tested++;
                if (c.TestBiasInSe is not 0) off++;
                foreach (var t in tests)
                {
                    Assert.Equal(t.Start.AddDays(27), t.End);
                    Assert.True(t.Start >= lastYear && t.End < w.FirstWeek.AddDays(7 * 104));
                    Assert.NotNull(t.Spend);
                    Assert.NotNull(t.AttributedConversions);
                    var truth = w.TrueTestLift[t.Id];
                    var se = t.Uncertainty.EffectiveStandardError;
                    Assert.InRange(se / truth, 0.079, 0.201);
                    var z = (t.IncrementalConversions!.Value - truth) / se;
                    if (c.TestBiasInSe is { } b and not 0)
                    {
                        Assert.InRange(Math.Abs(b), 1, 3);
                        Assert.Equal(b, z, 0.01);
                    }
                    else unbiasedZ.Add(z);
                }
            }
            Assert.All(w.Channels.Where(c => !c.Tested), c => Assert.DoesNotContain(w.LiftTests, t => t.Channel == c.Name));
        }
        Assert.InRange(off / (double)tested, 0.2, 0.47);
        Assert.Contains(Worlds.SelectMany(w => w.Channels), c => c.TestBiasInSe >= 1);
        Assert.Contains(Worlds.SelectMany(w => w.Channels), c => c.TestBiasInSe <= -1);
        Assert.InRange(unbiasedZ.Average(), -0.3, 0.3);
        Assert.InRange(Math.Sqrt(unbiasedZ.Average(z => z * z)), 0.75, 1.25);
    }

    [Fact]
    public void Testing_all_adds_unbiased_tests_on_the_untested_channels_and_changes_nothing_else()
    {
        foreach (var seed in new[] { 3, 17 })
        {
            var plain = MarketWorld.Generate(seed);
            var all = MarketWorld.Generate(seed, testAll: true);
            Assert.Equal(plain.Performance, all.Performance);
            Assert.Equal(plain.CurrentPlan, all.CurrentPlan);
            Assert.Equal(plain.Channels.Select(c => (c.Name, c.Curve, c.AttributionBias)), all.Channels.Select(c => (c.Name, c.Curve, c.AttributionBias)));
            var untested = plain.Channels.Where(c => !c.Tested).Select(c => c.Name).ToHashSet();
            Assert.Equal(3, untested.Count);
            Assert.Equal(plain.LiftTests, all.LiftTests.Where(t => !untested.Contains(t.Channel)));
            Assert.All(untested, name =>
            {
                Assert.Equal(0, all.Channel(name).TestBiasInSe);
                var tests = all.LiftTests.Where(t => t.Channel == name).ToList();
                Assert.InRange(tests.Count, 1, 2);
                Assert.All(tests, t => Assert.InRange(Math.Abs(t.IncrementalConversions!.Value - all.TrueTestLift[t.Id]) / t.Uncertainty.EffectiveStandardError, 0, 5));
            });
        }
    }

    [Fact]
    public void Attribution_is_biased_both_ways_on_untested_channels()
    {
        var channels = Worlds.SelectMany(w => w.Channels).ToList();
        Assert.All(channels, c => Assert.InRange(c.AttributionBias, 0.4, 2.5));
        Assert.Contains(channels, c => !c.Tested && c.AttributionBias > 1.3);
        Assert.Contains(channels, c => !c.Tested && c.AttributionBias < 0.75);
        var w = Worlds[0];
        foreach (var c in w.Channels)
        {
            // Reported conversions over the whole history against the truth the same weeks would bring at steady state.
            var rows = w.Performance.Where(p => p.Channel == c.Name && p.Spend > 0).ToList();
            var ratio = rows.Sum(r => r.Conversions) / rows.Sum(r => c.SteadyState(r.Spend));
            Assert.InRange(ratio / c.AttributionBias, 0.7, 1.3);
        }
    }

    [Fact]
    public void Economics_per_channel_and_for_all()
    {
        foreach (var w in Worlds)
        {
            Assert.Equal(9, w.Economics.Count);
            Assert.Single(w.Economics, e => e.Channel == Core.Inputs.UnitEconomics.AllChannels);
            foreach (var c in w.Channels)
            {
                var e = CustomerValue.For(c.Name, w.Economics)!;
                Assert.Equal(c.Name, e.Channel);
                Assert.InRange(e.ArpaMonthly, 20, 120);
                Assert.InRange(e.GrossMargin, 0.5, 0.85);
                Assert.InRange(e.MonthlyChurn!.Value, 0.015, 0.10);
            }
        }
    }

    [Fact]
    public void About_half_the_worlds_have_journeys()
    {
        Assert.All(Worlds, w => Assert.Equal(w.HasJourneys, w.Paths.Count > 0));
        Assert.InRange(Worlds.Count(w => w.HasJourneys), 10, 30);
        // Paths convert more after truly effective channels: a one-touch path's rate follows its channel's true conversions per unit spend.
        var w = Worlds.First(x => x.HasJourneys);
        var single = w.Paths.Where(p => p.Path.ToString().IndexOf('>') < 0 && p.TotalConversions + p.TotalNull > 200)
            .Select(p => (Channel: w.Channel(p.Path.ToString()), Rate: p.TotalConversions / (p.TotalConversions + p.TotalNull))).ToList();
        var best = single.MaxBy(x => x.Channel.SteadyState(x.Channel.CurrentWeeklySpend) / x.Channel.CurrentWeeklySpend);
        var worst = single.MinBy(x => x.Channel.SteadyState(x.Channel.CurrentWeeklySpend) / x.Channel.CurrentWeeklySpend);
        Assert.True(best.Rate > worst.Rate, $"{best.Channel.Name} {best.Rate:P1} vs {worst.Channel.Name} {worst.Rate:P1}");
    }

    [Fact]
    public void True_lines_sit_at_the_plan_on_the_true_curves_unless_told_otherwise()
    {
        var w = Worlds[3];
        var lines = w.TrueLines();
        Assert.Equal(w.CurrentPlan.Keys, lines.Select(l => l.Name));
        foreach (var l in lines)
        {
            var c = w.Channel(l.Name);
            Assert.Equal(c.CurrentWeeklySpend, l.CurrentSpend);
            Assert.Equal(c.SteadyState(1234), l.Response(1234));
            Assert.Equal(c.Clv, l.Clv);
            Assert.Equal(c.NewCustomerShare, l.CustomersPerConversion);
        }
        var moved = w.TrueLines(new Dictionary<string, double> { [lines[0].Name] = 777 });
        Assert.Equal(777, moved[0].CurrentSpend);
        Assert.Equal(lines[1].CurrentSpend, moved[1].CurrentSpend);
    }

    [Fact]
    public void The_first_familys_plan_is_its_typical_spend()
    {
        var w = SyntheticWorld.Generate(4);
        Assert.Equal(w.Channels.ToDictionary(c => c.Name, c => c.TypicalWeeklySpend), w.CurrentPlan);
        Assert.Equal(w.Channels.Select(c => c.TypicalWeeklySpend), ((IScoredWorld)w).TrueLines().Select(l => l.CurrentSpend));
    }
}
