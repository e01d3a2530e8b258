namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Shapley values of the game v(S) = conversions (or value) of journeys whose channels all lie in S.
/// That game is a sum of unanimity games, one per distinct channel set T with weight w_T, so the exact Shapley
/// value is φ_i = Σ_{T ∋ i} w_T / |T| (Harsanyi dividends): exact for any number of channels, linear in the data,
/// with no 2^n enumeration. It equals splitting each conversion (and its value) equally over the journey's
/// distinct channels; journeys that did not convert play no part.
/// </summary>
public static class ShapleyCountAttribution
{
    public static AttributionResult Run(PathSet paths)
    {
        var conversions = new double[paths.Channels.Count];
        var values = new double[paths.Channels.Count];
        var set = new HashSet<int>();
        for (var p = 0; p < paths.Count; p++)
        {
            if (paths.Conversions[p] == 0 && paths.Values[p] == 0) continue;
            set.Clear();
            foreach (var c in paths.Paths[p]) set.Add(c);
            foreach (var c in set)
            {
                conversions[c] += paths.Conversions[p] / set.Count;
                values[c] += paths.Values[p] / set.Count;
            }
        }
        var credits = paths.Channels.Select((c, i) => new ChannelCredit(c, conversions[i], values[i])).ToList();
        return new AttributionResult("shapley_count", credits, paths.TotalConversions, paths.TotalValue);
    }
}
