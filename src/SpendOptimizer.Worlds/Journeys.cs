using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Worlds;

/// <summary>Seeded customer paths for generated worlds.</summary>
internal static class Journeys
{
    /// <summary>
    /// Journeys of 1–6 touches, channels drawn by <paramref name="weights"/> (spend share), each touch raising the
    /// chance to convert by its channel's <paramref name="lift"/> (true incremental conversions per unit spend) relative to the mean.
    /// </summary>
    public static List<PathRecord> Generate(SeededRandom rng, IReadOnlyList<string> names, IReadOnlyList<double> weights,
        IReadOnlyList<double> lift, int journeys)
    {
        var meanLift = lift.Average();
        var counts = new Dictionary<string, (double Conversions, double Value, double Nulls)>();
        for (var j = 0; j < journeys; j++)
        {
            var length = 1 + Math.Min(5, rng.Poisson(1.5));
            var path = new string[length];
            var p = 0.02;
            for (var i = 0; i < length; i++)
            {
                var c = rng.Pick(weights);
                path[i] = names[c];
                p += 0.025 * lift[c] / meanLift;
            }
            var key = string.Join(ChannelPath.Separator, path);
            counts.TryGetValue(key, out var agg);
            if (rng.Uniform() < Math.Min(p, 0.9)) agg = (agg.Conversions + 1, agg.Value + Math.Round(rng.Uniform(50, 250), 2), agg.Nulls);
            else agg = (agg.Conversions, agg.Value, agg.Nulls + 1);
            counts[key] = agg;
        }
        return counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new PathRecord(ChannelPath.TryParse(kv.Key, out _)!, kv.Value.Conversions, Math.Round(kv.Value.Value, 2), kv.Value.Nulls))
            .ToList();
    }
}
