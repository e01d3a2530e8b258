namespace SpendOptimizer.Core.Incrementality;

/// <summary>What journey attribution says about a channel's factor once the tested channels have scaled it.</summary>
/// <param name="Share">The channel's share of journey-credited conversions.</param>
/// <param name="Mean">Mean of the factor the journeys imply: e^(m + v/2) for their prediction ln f ~ N(m, v).</param>
/// <param name="Sd">Its sd, mean·√(e^v − 1): how far the tested channels' incremental-per-journey-share ratios spread, as a prediction for one more channel.</param>
/// <param name="Channels">Tested channels the ratio was learned from.</param>
public sealed record JourneyEvidence(double Share, double Mean, double Sd, int Channels);

/// <summary>
/// A prior for channels no lift test has measured, from a second, independent view of them: journey attribution
/// (Markov, Shapley … over customer paths). Platform-reported conversions can overstate one channel twice over and
/// nothing in its own weekly series shows it; journey credit is biased too, but the tested channels show by how
/// much, and how consistently.
///
/// For each tested channel c (log factor LogMean_c, weekly attributed conversions A_c, journey share q_c), the weekly
/// incremental conversions per unit of journey share are r_c = LogMean_c + ln A_c − ln q_c. Their mean μ and variance s²
/// over n ≥ 4 channels predict an untested channel u: ln(incremental_u) ~ μ + ln q_u, with the variance of a Student-t
/// prediction for one more channel matched by a normal, v = s²·(1 + 1/n)·(n − 1)/(n − 3). s² is never taken below the
/// tests' own mean log-scale variance LogSd_c² (<see cref="PeerPrediction"/>). So ln f_u ~ N(m = μ + ln q_u − ln A_u, v). That is combined with the
/// channel's prior as it stands (the flat prior's log (m0, σ0²) of <see cref="LiftCalibration"/>, or <see cref="PooledPrior"/>)
/// by precision on the log scale, the same way tests are:
/// channels whose journey credit tracks their lift tests closely give a narrow prior, scattered ones barely move the flat one.
/// The result is reported as a lognormal factor (<see cref="ChannelFactor"/>).
/// </summary>
public static class JourneyPrior
{
    public const int MinTestedChannels = PeerPrediction.MinTestedChannels;

    /// <param name="factors">Factors from <see cref="LiftCalibration.Calibrate"/> (untested ones at the flat or pooled prior).</param>
    /// <param name="journeyShare">Each channel's share of journey-credited conversions (absent or 0: no journey credit).</param>
    /// <param name="weeklyAttributed">Mean weekly attributed conversions per channel, the units factors apply to.</param>
    /// <returns>The same factors; each untested channel with journey credit combines its prior with the journeys'.</returns>
    public static IReadOnlyList<ChannelFactor> Apply(IReadOnlyList<ChannelFactor> factors, IReadOnlyDictionary<string, double> journeyShare,
        IReadOnlyDictionary<string, double> weeklyAttributed)
    {
        double Share(string c) => journeyShare.GetValueOrDefault(c);
        double Attributed(string c) => weeklyAttributed.GetValueOrDefault(c);

        return PeerPrediction.ToUntested(factors, Attributed, Share,
            () => $"journeys: {factors.Count(f => !f.PriorOnly && Share(f.Channel) > 0 && Attributed(f.Channel) > 0)} tested channel(s) with journey credit, {MinTestedChannels} needed to scale it",
            "journeys: the channel has no journey credit or no attributed conversions",
            (f, mean, sd, n) => f with { Journey = new JourneyEvidence(Share(f.Channel), mean, sd, n) });
    }
}
