namespace SpendOptimizer.Core.Incrementality;

/// <summary>What the tested channels' value per unit of spend says about an untested channel's factor.</summary>
/// <param name="AttributedValuePerSpend">The channel's value per unit of spend as attributed: attributed conversions × value per
/// conversion / spend (its attributed CLV:CAC when value is the CLV of the new customers a conversion brings).</param>
/// <param name="Mean">Mean of the factor this implies: e^(m + v/2) for the prediction ln f ~ N(m, v).</param>
/// <param name="Sd">Its sd, mean·√(e^v − 1): how far the tested channels' incremental value per spend spread.</param>
/// <param name="Channels">Tested channels the prediction was learned from.</param>
public sealed record EfficiencyEvidence(double AttributedValuePerSpend, double Mean, double Sd, int Channels);

/// <summary>
/// A prior for channels no lift test has measured, from how efficient the tested ones truly are. An account's channels are
/// bought against the same targets (a CAC, a payback, a CLV:CAC), so their incremental value per unit of spend is alike
/// more than their platforms' reports are: a platform that claims twice what it causes shows a value per spend far from its
/// peers', and nothing else in its own series says so. This is the ROI prior of a Bayesian marketing-mix model, learned
/// from the account's own tests rather than set by hand.
///
/// With exposure x_c = weekly spend / value per conversion, <see cref="PeerPrediction"/> gives the tested channels' mean
/// log incremental value per spend μ and the variance v of one more; an untested channel u then reads
/// ln f_u ~ N(μ − ln(A_u · value_u / S_u), v), combined with its prior as it stands by log-scale precision. Tested
/// channels that scatter widely give a wide v and barely move the prior; channels with no spend, no attributed conversions or
/// no value are left as they are, with the reason.
/// </summary>
public static class EfficiencyPrior
{
    /// <param name="factors">Factors from <see cref="LiftCalibration.Calibrate"/> (untested ones at the flat or pooled prior).</param>
    /// <param name="weeklyAttributed">Mean weekly attributed conversions per channel.</param>
    /// <param name="weeklySpend">Mean weekly spend per channel over the same weeks.</param>
    /// <param name="valuePerConversion">What one conversion is worth per channel (CLV × new customers per conversion); absent or 0: unknown.</param>
    public static IReadOnlyList<ChannelFactor> Apply(IReadOnlyList<ChannelFactor> factors, IReadOnlyDictionary<string, double> weeklyAttributed,
        IReadOnlyDictionary<string, double> weeklySpend, IReadOnlyDictionary<string, double> valuePerConversion)
    {
        double Attributed(string c) => weeklyAttributed.GetValueOrDefault(c);
        double Exposure(string c) => valuePerConversion.GetValueOrDefault(c) is > 0 and var value ? weeklySpend.GetValueOrDefault(c) / value : 0;

        return PeerPrediction.ToUntested(factors, Attributed, Exposure,
            () => $"efficiency: fewer than {PeerPrediction.MinTestedChannels} tested channels with spend, conversions and unit economics",
            "efficiency: the channel has no spend, attributed conversions or unit economics",
            (f, mean, sd, n) => f with { Efficiency = new EfficiencyEvidence(Attributed(f.Channel) / Exposure(f.Channel), mean, sd, n) });
    }
}
