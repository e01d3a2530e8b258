namespace SpendOptimizer.Core.Incrementality;

/// <summary>
/// A prior for channels no lift test has measured, from the channels that were: a priori the channels of one account are
/// exchangeable, so the tested channels' log factors are a sample of what an untested one's may be. Their mean μ and
/// variance s² over n ≥ 4 channels give a Student-t prediction for one more channel, matched by a normal:
/// v = max(s², mean LogSd²)·(1 + 1/n)·(n − 1)/(n − 3) (never below the tests' own log-scale variance, as in
/// <see cref="JourneyPrior"/>). That is combined with the flat prior's log (m0, σ0²) by precision, so an account whose
/// tested channels are all over-credited starts its untested ones below 1, and one whose tests scatter widely barely
/// moves the flat prior. Journey credit, where it exists, is then combined with this instead of the flat prior.
/// </summary>
public static class PooledPrior
{
    /// <param name="factors">Factors from <see cref="LiftCalibration.Calibrate"/> with the flat prior.</param>
    public static IReadOnlyList<ChannelFactor> Apply(IReadOnlyList<ChannelFactor> factors, CalibrationRule rule)
    {
        // Exposure = attributed, so r_c is the log factor itself.
        var prediction = PeerPrediction.From(factors, _ => 1, _ => 1);
        if (prediction is not var (mu, v, n))
        {
            var tested = factors.Count(f => !f.PriorOnly);
            return factors.Select(f => f.PriorOnly
                ? f with { Skipped = [.. f.Skipped, $"pooled: {tested} tested channel(s), {JourneyPrior.MinTestedChannels} needed to pool them"] }
                : f).ToList();
        }
        var (m0, v0) = LiftCalibration.LogPrior(rule);
        var precision = 1 / v0 + 1 / v;
        return factors.Select(f => f.PriorOnly
            ? ChannelFactor.FromLog(f.Channel, (m0 / v0 + mu / v) / precision, 1 / Math.Sqrt(precision), f.Tests,
                [.. f.Skipped, $"pooled: the prior is what {n} tested channels' factors say of one more, with the flat prior"])
            : f).ToList();
    }
}
