using MathNet.Numerics.Distributions;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Incrementality;

/// <summary>How lift tests are weighed against each other and against the prior.</summary>
/// <param name="PriorMean">Factor believed before any test (1 = attribution is right).</param>
/// <param name="PriorSd">Its sd; wide, so one good test dominates and untested channels stay uncertain.</param>
/// <param name="AgeHalfLifeDays">A test's variance doubles every this many days between its end and the as-of date.</param>
/// <param name="SpendDistanceScale">A test's variance grows by (ln(test weekly spend / current weekly spend) / scale)²,
/// so a test run at double or half today's spend (ln 2 ≈ 0.69) counts about half as much at the default 0.7.</param>
/// <param name="UntestedPrior">What a channel without tests starts from: the flat prior alone, or combined with journey attribution
/// scaled by the tested channels (<see cref="JourneyPrior"/>, applied where journey credit exists).</param>
public sealed record CalibrationRule(double PriorMean = 1, double PriorSd = 1, double AgeHalfLifeDays = 365, double SpendDistanceScale = 0.7,
    UntestedPrior UntestedPrior = UntestedPrior.Journeys);

public enum UntestedPrior { Flat, Journeys }

/// <summary>One test's part in a channel's factor.</summary>
/// <param name="Weight">Share of the posterior precision that came from this test.</param>
public sealed record TestContribution(string TestId, double Factor, double StandardError, double EffectiveStandardError, double AgeDays,
    double? SpendRatio, double Weight);

/// <summary>A channel's incrementality factor: calibrated credit = attributed credit × factor.</summary>
/// <param name="Journey">For a channel without tests: what journey attribution, scaled by the tested channels, says (null: not used).</param>
public sealed record ChannelFactor(string Channel, double Mean, double Sd, double Lower90, double Upper90,
    IReadOnlyList<TestContribution> Tests, IReadOnlyList<string> Skipped, JourneyEvidence? Journey = null)
{
    public bool PriorOnly => Tests.Count == 0;

    /// <summary>A normal factor N(mean, sd²) with its 90% interval floored at 0.</summary>
    internal static (double Lower90, double Upper90) Interval(double mean, double sd) =>
        (Math.Max(0, mean - LiftCalibration.Z90 * sd), mean + LiftCalibration.Z90 * sd);
}

/// <summary>
/// Each lift test gives f = incremental / attributed conversions in its window with se(f) = se / attributed.
/// Tests of a channel combine with the prior N(μ0, τ0²) as a precision-weighted normal posterior:
/// precision = 1/τ0² + Σ 1/v_i, mean = (μ0/τ0² + Σ f_i/v_i) / precision, where v_i is se(f_i)² inflated for age
/// and for spend distance (see <see cref="CalibrationRule"/>). The 90% interval is mean ± 1.645·sd, floored at 0.
/// </summary>
public static class LiftCalibration
{
    internal static readonly double Z90 = Normal.InvCDF(0, 1, 0.95);

    /// <param name="channels">Every channel to report, tested or not.</param>
    /// <param name="currentWeeklySpend">Today's weekly spend per channel, for the spend-distance rule (missing: no inflation).</param>
    /// <param name="attributedInWindow">Attributed conversions of a channel over a window, for tests that did not state them.</param>
    public static IReadOnlyList<ChannelFactor> Calibrate(
        IEnumerable<string> channels, IEnumerable<LiftTest> tests, DateOnly asOf, CalibrationRule rule,
        IReadOnlyDictionary<string, double>? currentWeeklySpend = null,
        Func<string, DateOnly, DateOnly, double?>? attributedInWindow = null)
    {
        var byChannel = tests.ToLookup(t => t.Channel);
        var names = channels.Concat(byChannel.Select(g => g.Key)).Distinct().Order(StringComparer.Ordinal);
        return names.Select(c => Channel(c, byChannel[c], asOf, rule, currentWeeklySpend, attributedInWindow)).ToList();
    }

    private static ChannelFactor Channel(string channel, IEnumerable<LiftTest> tests, DateOnly asOf, CalibrationRule rule,
        IReadOnlyDictionary<string, double>? currentWeeklySpend, Func<string, DateOnly, DateOnly, double?>? attributedInWindow)
    {
        var precision = 1 / (rule.PriorSd * rule.PriorSd);
        var weighted = rule.PriorMean * precision;
        var used = new List<(LiftTest Test, double F, double Se, double Variance, double Age, double? Ratio)>();
        var skipped = new List<string>();
        foreach (var t in tests.OrderBy(t => t.End).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            var attributed = t.AttributedConversions ?? attributedInWindow?.Invoke(channel, t.Start, t.End);
            if (t.IncrementalConversions is not { } incremental) { skipped.Add($"{t.Id}: no incremental conversions"); continue; }
            if (attributed is not > 0) { skipped.Add($"{t.Id}: no attributed conversions in its window"); continue; }
            var f = incremental / attributed.Value;
            var se = t.Uncertainty.EffectiveStandardError / attributed.Value;
            var age = Math.Max(0, asOf.DayNumber - t.End.DayNumber);
            var variance = se * se * Math.Pow(2, age / rule.AgeHalfLifeDays);
            double? ratio = null;
            if (t.Spend is > 0 && currentWeeklySpend?.GetValueOrDefault(channel) is > 0 and var current)
            {
                var weeks = (t.End.DayNumber - t.Start.DayNumber + 1) / 7.0;
                ratio = t.Spend.Value / weeks / current;
                var distance = Math.Log(ratio.Value) / rule.SpendDistanceScale;
                variance *= 1 + distance * distance;
            }
            precision += 1 / variance;
            weighted += f / variance;
            used.Add((t, f, se, variance, age, ratio));
        }
        var mean = weighted / precision;
        var sd = 1 / Math.Sqrt(precision);
        var contributions = used.Select(u => new TestContribution(u.Test.Id, u.F, u.Se, Math.Sqrt(u.Variance), u.Age, u.Ratio,
            1 / u.Variance / precision)).ToList();
        var (lower, upper) = ChannelFactor.Interval(mean, sd);
        return new ChannelFactor(channel, mean, sd, lower, upper, contributions, skipped);
    }
}
