namespace SpendOptimizer.Core.Attribution;

public enum HeuristicModel { FirstTouch, LastTouch, Linear, TimeDecay, PositionBased }

/// <summary>Rule-based credit over converting paths; each path's conversions and value are split by touch weights that sum to 1.</summary>
public static class HeuristicAttribution
{
    /// <param name="halfLife">Time decay: a touch k steps before the conversion weighs 2^(−k/halfLife). Aggregated paths carry no clock, so steps are the time unit.</param>
    /// <param name="firstShare">Position based: share of the first touch (default 0.4).</param>
    /// <param name="lastShare">Position based: share of the last touch (default 0.4); the rest is spread over the middle touches.</param>
    public static AttributionResult Run(PathSet paths, HeuristicModel model, double halfLife = 7, double firstShare = 0.4, double lastShare = 0.4)
    {
        if (model == HeuristicModel.TimeDecay && !(halfLife > 0)) throw new ArgumentOutOfRangeException(nameof(halfLife), "half-life must be positive");
        if (model == HeuristicModel.PositionBased && (firstShare < 0 || lastShare < 0 || firstShare + lastShare > 1))
            throw new ArgumentOutOfRangeException(nameof(firstShare), "first and last shares must be non-negative and add up to at most 1");

        var conversions = new double[paths.Channels.Count];
        var values = new double[paths.Channels.Count];
        var weights = new double[16];
        for (var p = 0; p < paths.Count; p++)
        {
            if (paths.Conversions[p] == 0 && paths.Values[p] == 0) continue;
            var path = paths.Paths[p];
            if (weights.Length < path.Length) weights = new double[path.Length * 2];
            Weights(model, path.Length, halfLife, firstShare, lastShare, weights);
            for (var i = 0; i < path.Length; i++)
            {
                conversions[path[i]] += paths.Conversions[p] * weights[i];
                values[path[i]] += paths.Values[p] * weights[i];
            }
        }
        var credits = paths.Channels.Select((c, i) => new ChannelCredit(c, conversions[i], values[i])).ToList();
        return new AttributionResult(Name(model), credits, paths.TotalConversions, paths.TotalValue);
    }

    public static string Name(HeuristicModel model) => model switch
    {
        HeuristicModel.FirstTouch => "first_touch",
        HeuristicModel.LastTouch => "last_touch",
        HeuristicModel.Linear => "linear",
        HeuristicModel.TimeDecay => "time_decay",
        _ => "position_based",
    };

    /// <summary>Touch weights of an n-touch path, summing to 1.</summary>
    public static void Weights(HeuristicModel model, int n, double halfLife, double firstShare, double lastShare, Span<double> w)
    {
        w[..n].Clear();
        switch (model)
        {
            case HeuristicModel.FirstTouch:
                w[0] = 1;
                break;
            case HeuristicModel.LastTouch:
                w[n - 1] = 1;
                break;
            case HeuristicModel.Linear:
                for (var i = 0; i < n; i++) w[i] = 1.0 / n;
                break;
            case HeuristicModel.TimeDecay:
                var total = 0.0;
                for (var i = 0; i < n; i++) total += w[i] = Math.Pow(2, -(n - 1 - i) / halfLife);
                for (var i = 0; i < n; i++) w[i] /= total;
                break;
            case HeuristicModel.PositionBased:
                if (n == 1) w[0] = 1;
                else if (n == 2) w[0] = w[1] = 0.5;
                else
                {
                    // The ends keep their shares; the rest goes evenly to the middle touches.
                    w[0] = firstShare;
                    w[n - 1] = lastShare;
                    for (var i = 1; i < n - 1; i++) w[i] = (1 - firstShare - lastShare) / (n - 2);
                }
                break;
        }
    }
}
