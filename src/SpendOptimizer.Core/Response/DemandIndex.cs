namespace SpendOptimizer.Core.Response;

/// <summary>
/// The week-to-week movement of demand that all channels share (season, holidays, the market), read from how every
/// channel's response departs from its own curve in the same week. Each channel's curve explains its response by its own
/// spend; what is left, e_ct = ln(y_ct / ŷ_ct), is that week's demand plus the channel's noise. A week's index is the
/// precision-weighted mean of its channels' e_ct (each channel centred, weighted by 1 / its residual variance), shrunk
/// toward an average week by how much of its spread is signal rather than noise (empirical Bayes:
/// ln d_t = τ² / (τ² + v_t) · z_t, τ² the spread of z beyond the noise v_t it would have anyway). With fewer than
/// <see cref="MinChannels"/> channels in a week, or nothing shared, the week is an average one (d = 1).
///
/// Channels whose spend moves in step would let demand take credit for their spend; the curves are fitted first and the
/// index only takes what they leave, and the shrinkage keeps an index the channels do not agree on near 1.
/// </summary>
public static class DemandIndex
{
    /// <summary>The fewest channels with a response in a week for that week's demand to be read.</summary>
    public const int MinChannels = 3;

    /// <summary>Rounds of fitting every curve and then the index from what they leave; two settle it (a third moves no curve by 1%).</summary>
    public const int Rounds = 2;

    /// <summary>
    /// Each channel's curve fitted with the demand all of them share, by backfitting: curves on their own, the index from
    /// what they leave, the curves again over that index, <paramref name="rounds"/> times. Fewer than
    /// <see cref="MinChannels"/> channels, or no rounds: the curves on their own and an index of 1.
    /// </summary>
    public static (IReadOnlyList<CurveFit> Fits, double[] Demand) FitTogether(IReadOnlyList<(double[] Spend, double[] Response)> channels,
        CurvePriors? priors = null, int rounds = Rounds, CancellationToken ct = default)
    {
        var demand = Enumerable.Repeat(1.0, channels.Count == 0 ? 0 : channels[0].Spend.Length).ToArray();
        var fits = FitEach(channels, priors, null, ct);
        if (channels.Count < MinChannels) return (fits, demand);
        for (var round = 0; round < rounds; round++)
        {
            demand = Estimate(channels.Select(c => c.Response).ToList(), fits.Select((f, i) => f.Curve.Predict(channels[i].Spend)).ToList());
            fits = FitEach(channels, priors, demand, ct);
        }
        return (fits, demand);
    }

    private static List<CurveFit> FitEach(IReadOnlyList<(double[] Spend, double[] Response)> channels, CurvePriors? priors, double[]? demand,
        CancellationToken ct) =>
        channels.Select(c =>
        {
            ct.ThrowIfCancellationRequested();
            return ResponseCurveFit.Fit(c.Spend, c.Response, priors, demand);
        }).ToList();

    /// <param name="response">Per channel, its weekly response; a week without a positive response says nothing of demand.</param>
    /// <param name="fitted">Per channel, its curve's prediction at an average week (no demand index), same weeks.</param>
    /// <returns>d_t per week, geometric mean 1 over the weeks read, 1 in the others.</returns>
    public static double[] Estimate(IReadOnlyList<double[]> response, IReadOnlyList<double[]> fitted)
    {
        var channels = response.Count;
        var weeks = channels == 0 ? 0 : response[0].Length;
        var index = Enumerable.Repeat(1.0, weeks).ToArray();
        if (channels < MinChannels) return index;

        // e_ct, centred per channel so that a channel's level never reads as demand.
        var e = new double?[channels][];
        for (var c = 0; c < channels; c++)
        {
            e[c] = new double?[weeks];
            for (var t = 0; t < weeks; t++)
                if (response[c][t] > 0 && fitted[c][t] > 0) e[c][t] = Math.Log(response[c][t] / fitted[c][t]);
            var values = e[c].OfType<double>().ToArray();
            if (values.Length == 0) continue;
            var mean = values.Average();
            for (var t = 0; t < weeks; t++) e[c][t] -= mean;
        }

        // Two passes: an equal-weight index gives each channel's noise variance, which weights the second.
        var weight = Enumerable.Repeat(1.0, channels).ToArray();
        var z = new double?[weeks];
        var v = new double[weeks];
        for (var pass = 0; pass < 2; pass++)
        {
            for (var t = 0; t < weeks; t++)
            {
                double sum = 0, w = 0;
                var count = 0;
                for (var c = 0; c < channels; c++)
                    if (e[c][t] is { } x) { sum += weight[c] * x; w += weight[c]; count++; }
                z[t] = count >= MinChannels && w > 0 ? sum / w : null;
                v[t] = w > 0 ? 1 / w : double.PositiveInfinity;
            }
            if (pass == 1) break;
            for (var c = 0; c < channels; c++)
            {
                var residuals = Enumerable.Range(0, weeks).Where(t => e[c][t] is not null && z[t] is not null).Select(t => e[c][t]!.Value - z[t]!.Value).ToArray();
                // A channel seen in too few weeks to judge keeps a small weight rather than none.
                var variance = residuals.Length >= 4 ? residuals.Sum(r => r * r) / (residuals.Length - 1) : double.NaN;
                weight[c] = variance > 1e-12 ? 1 / variance : double.IsNaN(variance) ? 1e-6 : 1e12;
            }
        }

        var read = Enumerable.Range(0, weeks).Where(t => z[t] is not null).ToArray();
        if (read.Length < 2) return index;
        var centre = read.Average(t => z[t]!.Value);
        var spread = read.Sum(t => Math.Pow(z[t]!.Value - centre, 2)) / (read.Length - 1);
        var signal = Math.Max(0, spread - read.Average(t => v[t]));
        if (signal <= 0) return index;
        var logs = read.ToDictionary(t => t, t => signal / (signal + v[t]) * (z[t]!.Value - centre));
        var logMean = logs.Values.Average();
        foreach (var (t, l) in logs) index[t] = Math.Exp(l - logMean);
        return index;
    }
}
