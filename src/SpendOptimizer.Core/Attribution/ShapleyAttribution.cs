using System.Numerics;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Shapley values of the conversion-rate game (Shao &amp; Li 2011; Dalessandro et al. 2012). Journeys are grouped by
/// their distinct channel set T; r(T) = conversions / journeys of that group (journeys = conversions + nulls).
/// v(S) = the highest r(T) over the groups with T ⊆ S, and v(∅) = 0: a coalition converts at least as well as the
/// best channel set seen within it (so a set never seen takes the best rate of the seen sets inside it, or 0 when
/// there is none), which keeps v monotone and every credit ≥ 0. Exact: every one of the 2^n coalitions is
/// evaluated, O(2^n·n). The values add up to v(all channels); credits are scaled to add up to the total
/// conversions. Value is credited the same way with value per journey in place of the rate.
/// </summary>
public static class ShapleyAttribution
{
    public const int MaxChannels = 20;

    public static AttributionResult Run(PathSet paths, CancellationToken ct = default)
    {
        var n = paths.Channels.Count;
        if (n > MaxChannels)
            throw new TooLargeException("model", $"shapley is exact over all 2^n channel coalitions, for at most {MaxChannels} channels; these paths have {n:N0}: use shapley_count or markov, or fewer channels");

        var groups = new Dictionary<int, (double Conversions, double Value, double Journeys)>();
        for (var p = 0; p < paths.Count; p++)
        {
            var set = 0;
            foreach (var c in paths.Paths[p]) set |= 1 << c;
            var g = groups.GetValueOrDefault(set);
            groups[set] = (g.Conversions + paths.Conversions[p], g.Value + paths.Values[p], g.Journeys + paths.Conversions[p] + paths.Nulls[p]);
        }
        var rate = new double[1 << n];
        var valueRate = new double[1 << n];
        foreach (var (set, g) in groups)
            if (g.Journeys > 0)
            {
                rate[set] = g.Conversions / g.Journeys;
                valueRate[set] = g.Value / g.Journeys;
            }
        BestOfSubsets(rate, n, ct);
        BestOfSubsets(valueRate, n, ct);

        var phi = Shapley(rate, n, ct);
        var phiValue = Shapley(valueRate, n, ct);
        var whole = rate[^1];
        var wholeValue = valueRate[^1];
        var credits = paths.Channels.Select((name, c) => new ChannelCredit(
            name,
            whole > 0 ? paths.TotalConversions * phi[c] / whole : 0,
            wholeValue > 0 ? paths.TotalValue * phiValue[c] / wholeValue : 0)).ToList();
        return new AttributionResult("shapley", credits, paths.TotalConversions, paths.TotalValue);
    }

    /// <summary>f(S) ← max over T ⊆ S of f(T), one channel at a time (the subset-sum transform with max for sum).</summary>
    private static void BestOfSubsets(double[] f, int n, CancellationToken ct)
    {
        for (var i = 0; i < n; i++)
        {
            ct.ThrowIfCancellationRequested();
            var bit = 1 << i;
            for (var s = 0; s < f.Length; s++)
                if ((s & bit) != 0 && f[s ^ bit] > f[s]) f[s] = f[s ^ bit];
        }
    }

    /// <summary>φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! · (v(S ∪ i) − v(S)), every coalition once.</summary>
    private static double[] Shapley(double[] v, int n, CancellationToken ct)
    {
        var phi = new double[n];
        if (n == 0) return phi;
        // weight[k] = k!(n−k−1)!/n! = 1 / (n · C(n−1, k))
        var weight = new double[n];
        var choose = 1.0;
        for (var k = 0; k < n; k++)
        {
            weight[k] = 1 / (n * choose);
            choose = choose * (n - 1 - k) / (k + 1);
        }
        for (var s = 0; s < v.Length; s++)
        {
            if ((s & 0xffff) == 0) ct.ThrowIfCancellationRequested();
            var w = weight[Math.Min(BitOperations.PopCount((uint)s), n - 1)];
            var vs = v[s];
            for (var i = 0; i < n; i++)
                if ((s & (1 << i)) == 0) phi[i] += w * (v[s | (1 << i)] - vs);
        }
        return phi;
    }
}
