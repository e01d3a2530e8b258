using MathNet.Numerics.Distributions;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Incrementality;

/// <summary>How lift tests are weighed against each other and against the prior.</summary>
/// <param name="PriorMean">Factor believed before any test (1 = attribution is right); must be &gt; 0.</param>
/// <param name="PriorSd">Its sd; wide, so one good test dominates and untested channels stay uncertain. Mean and sd are of the
/// factor itself: the prior on ln factor is the lognormal with these moments (<see cref="LiftCalibration"/>).</param>
/// <param name="AgeHalfLifeDays">A test's (log-scale) variance doubles every this many days between its end and the as-of date.</param>
/// <param name="SpendDistanceScale">A test's (log-scale) variance grows by (ln(test weekly spend / current weekly spend) / scale)²,
/// so a test run at double or half today's spend (ln 2 ≈ 0.69) counts about half as much at the default 0.7.</param>
/// <param name="UntestedPrior">What a channel without tests starts from: the flat prior alone, or combined with journey attribution
/// scaled by the tested channels (<see cref="JourneyPrior"/>, applied where journey credit exists).</param>
/// <param name="PoolTested">Untested channels start from what the tested channels' factors say of one more (<see cref="PooledPrior"/>)
/// instead of the flat prior alone.</param>
/// <param name="EfficiencyPrior">Untested channels also lean on what the tested channels' incremental value per spend says of one
/// more (<see cref="Incrementality.EfficiencyPrior"/>), where unit economics put the channels on one scale.</param>
public sealed record CalibrationRule(double PriorMean = 1, double PriorSd = 1, double AgeHalfLifeDays = 365, double SpendDistanceScale = 0.7,
    UntestedPrior UntestedPrior = UntestedPrior.Journeys, bool PoolTested = false, bool EfficiencyPrior = false);

public enum UntestedPrior { Flat, Journeys }

/// <summary>One test's part in a channel's factor.</summary>
/// <param name="Factor">Measured factor f = incremental / attributed (may be ≤ 0 for a test that found no lift).</param>
/// <param name="StandardError">se(f) = standard error / attributed.</param>
/// <param name="EffectiveStandardError">se(f) inflated for age and spend distance, by the same factor as the log-scale one.</param>
/// <param name="Weight">Share of the posterior log-scale precision that came from this test.</param>
/// <param name="LogFactor">ln f as combined; ln se(f) for a test below its detection limit.</param>
/// <param name="LogStandardError">se(f) / f (delta method); 1 for a test below its detection limit.</param>
/// <param name="EffectiveLogStandardError">The log-scale se after age and spend-distance inflation: √v in the posterior.</param>
/// <param name="BelowDetectionLimit">f &lt; se(f) (including f ≤ 0): ln f is not defined or not honest, so the test counts as
/// "a factor of at most about se(f)", i.e. ln se(f) ± 1.</param>
public sealed record TestContribution(string TestId, double Factor, double StandardError, double EffectiveStandardError, double AgeDays,
    double? SpendRatio, double Weight, double LogFactor, double LogStandardError, double EffectiveLogStandardError, bool BelowDetectionLimit);

/// <summary>A channel's incrementality factor: calibrated credit = attributed credit × factor. The factor is lognormal:
/// ln factor ~ N(LogMean, LogSd²); Mean, Sd and the 90% interval are that lognormal's, so a lognormal moment-matched to
/// (Mean, Sd) gives back exactly (LogMean, LogSd).</summary>
/// <param name="Lower90">exp(LogMean − 1.645·LogSd): strictly positive, and the interval is multiplicative around the median.</param>
/// <param name="Journey">For a channel without tests: what journey attribution, scaled by the tested channels, says (null: not used).</param>
/// <param name="Efficiency">For a channel without tests: what the tested channels' value per spend says (null: not used).</param>
public sealed record ChannelFactor(string Channel, double Mean, double Sd, double Lower90, double Upper90, double LogMean, double LogSd,
    IReadOnlyList<TestContribution> Tests, IReadOnlyList<string> Skipped, JourneyEvidence? Journey = null, EfficiencyEvidence? Efficiency = null)
{
    public bool PriorOnly => Tests.Count == 0;

    /// <summary>The factor whose log is N(m, s²): mean e^(m + s²/2), sd mean·√(e^(s²) − 1), 90% interval e^(m ± 1.645 s).</summary>
    internal static ChannelFactor FromLog(string channel, double m, double s, IReadOnlyList<TestContribution> tests, IReadOnlyList<string> skipped,
        JourneyEvidence? journey = null)
    {
        var mean = Math.Exp(m + s * s / 2);
        return new ChannelFactor(channel, mean, mean * Math.Sqrt(Math.Exp(s * s) - 1), Math.Exp(m - LiftCalibration.Z90 * s),
            Math.Exp(m + LiftCalibration.Z90 * s), m, s, tests, skipped, journey);
    }
}

/// <summary>
/// Tests combine on the log scale, because factors are multiplicative and range widely (0.2–4× in real markets): a normal
/// combination on the factor itself pulls a well-measured 3 toward the prior 1 and lets a noisy test drag it additively.
///
/// Each lift test gives f = incremental / attributed conversions in its window with se(f) = se / attributed, and so
/// ℓ = ln f with the delta-method se(f)/f. A test with f &lt; se(f) (including f ≤ 0) cannot be logged honestly; it is kept
/// as "at most about the detection limit": ℓ = ln se(f), se 1. The log-scale variance v is se_ℓ² inflated for age and
/// spend distance (see <see cref="CalibrationRule"/>).
///
/// The prior is the lognormal with the rule's mean μ0 and sd τ0 (moment-matched): σ0² = ln(1 + (τ0/μ0)²),
/// m0 = ln μ0 − σ0²/2. The posterior on ln factor is normal: precision = 1/σ0² + Σ 1/v_i,
/// m = (m0/σ0² + Σ ℓ_i/v_i) / precision, s = 1/√precision; the factor is reported as that lognormal
/// (<see cref="ChannelFactor"/>). With no tests it is exactly the prior (μ0, τ0).
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
        if (!(rule.PriorMean > 0)) throw new ArgumentOutOfRangeException(nameof(rule), rule.PriorMean, "the prior factor mean must be > 0 (it is combined on the log scale)");
        if (!(rule.PriorSd > 0)) throw new ArgumentOutOfRangeException(nameof(rule), rule.PriorSd, "the prior factor sd must be > 0");
        var byChannel = tests.ToLookup(t => t.Channel);
        var names = channels.Concat(byChannel.Select(g => g.Key)).Distinct().Order(StringComparer.Ordinal);
        return names.Select(c => Channel(c, byChannel[c], asOf, rule, currentWeeklySpend, attributedInWindow)).ToList();
    }

    /// <summary>The rule's prior as a normal on ln factor, moment-matched to (PriorMean, PriorSd).</summary>
    internal static (double M0, double Variance) LogPrior(CalibrationRule rule)
    {
        var cv = rule.PriorSd / rule.PriorMean;
        var variance = Math.Log(1 + cv * cv);
        return (Math.Log(rule.PriorMean) - variance / 2, variance);
    }

    /// <summary>The flat prior as a factor: exactly (PriorMean, PriorSd), with the lognormal's interval.</summary>
    internal static ChannelFactor Prior(string channel, CalibrationRule rule, IReadOnlyList<string> skipped)
    {
        var (m0, v0) = LogPrior(rule);
        return ChannelFactor.FromLog(channel, m0, Math.Sqrt(v0), [], skipped) with { Mean = rule.PriorMean, Sd = rule.PriorSd };
    }

    /// <summary>
    /// The smallest log-scale standard error a test is taken at (0.1% of its factor): a reported standard error near
    /// zero (1e-300) would otherwise give the test infinite precision and the factor no defined posterior.
    /// </summary>
    public const double MinLogStandardError = 1e-3;

    private static ChannelFactor Channel(string channel, IEnumerable<LiftTest> tests, DateOnly asOf, CalibrationRule rule,
        IReadOnlyDictionary<string, double>? currentWeeklySpend, Func<string, DateOnly, DateOnly, double?>? attributedInWindow)
    {
        var (m0, v0) = LogPrior(rule);
        var precision = 1 / v0;
        var weighted = m0 / v0;
        var used = new List<(LiftTest Test, double F, double Se, double L, double SeL, double Inflation, double Age, double? Ratio, bool Below)>();
        var skipped = new List<string>();
        foreach (var t in tests.OrderBy(t => t.End).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            var attributed = t.AttributedConversions ?? attributedInWindow?.Invoke(channel, t.Start, t.End);
            if (t.IncrementalConversions is not { } incremental) { skipped.Add($"{t.Id}: no incremental conversions"); continue; }
            if (attributed is not > 0) { skipped.Add($"{t.Id}: no attributed conversions in its window"); continue; }
            var f = incremental / attributed.Value;
            var se = t.Uncertainty.EffectiveStandardError / attributed.Value;
            if (!(se > 0)) { skipped.Add($"{t.Id}: no positive standard error"); continue; }
            var below = f < se;
            var (l, seL) = below ? (Math.Log(se), 1.0) : (Math.Log(f), Math.Max(se / f, MinLogStandardError));
            var age = Math.Max(0, asOf.DayNumber - t.End.DayNumber);
            var inflation = Math.Pow(2, age / rule.AgeHalfLifeDays);
            double? ratio = null;
            if (t.Spend is > 0 && currentWeeklySpend?.GetValueOrDefault(channel) is > 0 and var current)
            {
                var weeks = (t.End.DayNumber - t.Start.DayNumber + 1) / 7.0;
                ratio = t.Spend.Value / weeks / current;
                var distance = Math.Log(ratio.Value) / rule.SpendDistanceScale;
                inflation *= 1 + distance * distance;
            }
            var variance = seL * seL * inflation;
            precision += 1 / variance;
            weighted += l / variance;
            used.Add((t, f, se, l, seL, inflation, age, ratio, below));
        }
        if (used.Count == 0) return Prior(channel, rule, skipped);
        var contributions = used.Select(u => new TestContribution(u.Test.Id, u.F, u.Se, u.Se * Math.Sqrt(u.Inflation), u.Age, u.Ratio,
            1 / (u.SeL * u.SeL * u.Inflation) / precision, u.L, u.SeL, u.SeL * Math.Sqrt(u.Inflation), u.Below)).ToList();
        return ChannelFactor.FromLog(channel, weighted / precision, 1 / Math.Sqrt(precision), contributions, skipped);
    }
}
