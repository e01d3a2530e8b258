using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.Attribution;

internal static class PathFixtures
{
    public static PathRecord P(string path, double conversions, double value, double nulls) =>
        new(ChannelPath.TryParse(path, out _)!, conversions, value, nulls);

    /// <summary>Seeded random paths over <paramref name="channels"/> channels, with repeats and varied counts.</summary>
    public static List<PathRecord> Random(int seed, int count, int channels = 5, int maxLength = 5)
    {
        var rng = new SeededRandom(seed);
        var names = Enumerable.Range(0, channels).Select(i => "ch" + (char)('a' + i)).ToArray();
        var list = new List<PathRecord>();
        for (var i = 0; i < count; i++)
        {
            var length = rng.Integer(1, maxLength + 1);
            var path = Enumerable.Range(0, length).Select(_ => names[rng.Integer(0, channels)]).ToArray();
            var conversions = rng.Integer(0, 4);
            var nulls = rng.Integer(0, 20) + (conversions == 0 ? 1 : 0);
            list.Add(new PathRecord(ChannelPath.Of(path), conversions, conversions * rng.Uniform(10, 200), nulls));
        }
        return list;
    }

    public static void AssertSumsToTotals(AttributionResult result, double conversions, double value)
    {
        Assert.Equal(conversions, result.Credits.Sum(c => c.Conversions), 1e-9 * Math.Max(1, conversions));
        Assert.Equal(value, result.Credits.Sum(c => c.Value), 1e-9 * Math.Max(1, value));
        Assert.Equal(conversions, result.TotalConversions, 1e-9 * Math.Max(1, conversions));
    }
}
