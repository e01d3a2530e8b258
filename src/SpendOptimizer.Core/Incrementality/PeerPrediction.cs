namespace SpendOptimizer.Core.Incrementality;

/// <summary>
/// What the tested channels of one account say about one more, untested channel, on the log scale. Each tested channel c
/// gives r_c = LogMean_c + ln A_c − ln x_c: its weekly incremental conversions (attributed A_c times its factor) per unit of
/// an exposure x_c that the channels share a scale in (journey share, or spend per unit of value). A priori the channels
/// are exchangeable, so their mean μ and variance s² over n ≥ 4 channels give a Student-t prediction for one more, matched
/// by a normal: v = max(s², mean LogSd_c²)·(1 + 1/n)·(n − 1)/(n − 3); s² is never taken below the tests' own log-scale
/// variance. For the untested channel u that reads ln f_u ~ N(μ + ln x_u − ln A_u, v).
/// </summary>
internal static class PeerPrediction
{
    public const int MinTestedChannels = 4;

    /// <returns>μ, v and n, or null when fewer than <see cref="MinTestedChannels"/> tested channels have A &gt; 0 and x &gt; 0.</returns>
    public static (double Mu, double Variance, int Channels)? From(IEnumerable<ChannelFactor> factors, Func<string, double> attributed,
        Func<string, double> exposure)
    {
        var tested = factors.Where(f => !f.PriorOnly && attributed(f.Channel) > 0 && exposure(f.Channel) > 0).ToList();
        var n = tested.Count;
        if (n < MinTestedChannels) return null;
        var r = tested.Select(f => f.LogMean + Math.Log(attributed(f.Channel)) - Math.Log(exposure(f.Channel))).ToArray();
        var mu = r.Average();
        var spread = r.Sum(x => (x - mu) * (x - mu)) / (n - 1);
        var noise = tested.Average(f => f.LogSd * f.LogSd);
        return (mu, Math.Max(spread, noise) * (1 + 1.0 / n) * (n - 1) / (n - 3.0), n);
    }

    /// <summary>The factor <paramref name="f"/> as it stands combined by log-scale precision with the evidence ln f ~ N(m, v);
    /// its tests, skips and other evidence are kept.</summary>
    public static ChannelFactor Combine(ChannelFactor f, double m, double v)
    {
        var (m0, v0) = (f.LogMean, f.LogSd * f.LogSd);
        var precision = 1 / v0 + 1 / v;
        return ChannelFactor.FromLog(f.Channel, (m0 / v0 + m / v) / precision, 1 / Math.Sqrt(precision), f.Tests, f.Skipped, f.Journey)
            with { Efficiency = f.Efficiency };
    }

    /// <summary>
    /// Each untested channel u combined with the peers' prediction ln f_u ~ N(μ + ln x_u − ln A_u, v), its evidence attached by
    /// <paramref name="attach"/> (given the combined factor, the prediction's mean e^(m + v/2), its sd and n); tested channels are kept.
    /// Without a prediction, or for a channel with A or x not above 0, the channel is kept with the reason in its skips.
    /// </summary>
    public static IReadOnlyList<ChannelFactor> ToUntested(IReadOnlyList<ChannelFactor> factors, Func<string, double> attributed,
        Func<string, double> exposure, Func<string> noPrediction, string unusable, Func<ChannelFactor, double, double, int, ChannelFactor> attach)
    {
        if (From(factors, attributed, exposure) is not var (mu, v, n))
        {
            var reason = noPrediction();
            return factors.Select(f => f.PriorOnly ? f with { Skipped = [.. f.Skipped, reason] } : f).ToList();
        }
        return factors.Select(f =>
        {
            if (!f.PriorOnly) return f;
            if (!(attributed(f.Channel) > 0 && exposure(f.Channel) > 0)) return f with { Skipped = [.. f.Skipped, unusable] };
            // Combined with the channel's prior as it stands (flat, pooled, or with other peers' evidence).
            var m = mu + Math.Log(exposure(f.Channel)) - Math.Log(attributed(f.Channel));
            var mean = Math.Exp(m + v / 2);
            return attach(Combine(f, m, v), mean, mean * Math.Sqrt(Math.Exp(v) - 1), n);
        }).ToList();
    }
}
