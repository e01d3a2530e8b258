using System.Globalization;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// Seeded journeys in the benchmark's shape: 12 channels with skewed popularity, about 3.5 touches per
/// journey (1 + Poisson(2.5)), about 7% converting (more often after some channels).
/// </summary>
public static class JourneyGenerator
{
    public const int Channels = 12;
    private static readonly string[] ChannelNames =
        ["paid_search", "organic_search", "paid_social", "organic_social", "display", "video",
         "email", "affiliates", "referral", "direct", "podcasts", "tv"];

    public sealed record Journey(string[] Channels, bool Converted, double Value);

    public static IEnumerable<Journey> Generate(int seed)
    {
        var rng = new SeededRandom(seed);
        var popularity = Enumerable.Range(0, Channels).Select(i => 1.0 / (1 + i * 0.35)).ToArray();
        var pull = Enumerable.Range(0, Channels).Select(i => 0.6 + 0.8 * ((i * 7) % Channels) / (double)Channels).ToArray();
        while (true)
        {
            var length = 1 + rng.Poisson(2.5);
            var path = new string[length];
            var odds = 0.0;
            for (var i = 0; i < length; i++)
            {
                var c = rng.Pick(popularity);
                path[i] = ChannelNames[c];
                odds += pull[c];
            }
            var converted = rng.Uniform() < 0.02 * odds;
            yield return new Journey(path, converted, converted ? Math.Round(rng.Uniform(20, 300), 2) : 0);
        }
    }

    /// <summary>A ChannelAttribution path file with one row per journey (not pre-aggregated), as analysts export it.</summary>
    public static void WritePaths(string file, long journeys, int seed)
    {
        using var w = new StreamWriter(file, false, new System.Text.UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        w.WriteLine("path,total_conversions,total_conversion_value,total_null");
        long n = 0;
        foreach (var j in Generate(seed))
        {
            if (n++ == journeys) break;
            w.Write(string.Join(" > ", j.Channels));
            w.WriteLine(j.Converted ? $",1,{j.Value.ToString(CultureInfo.InvariantCulture)},0" : ",0,0,1");
        }
    }

    /// <summary>Raw touchpoint CSV, as POST …/touchpoints takes it; stops after <paramref name="rows"/> rows or <paramref name="journeys"/> journeys.</summary>
    public static long WriteTouchpoints(string file, long rows, int seed, long journeys = long.MaxValue)
    {
        using var w = new StreamWriter(file, false, new System.Text.UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        w.WriteLine("journey_id,timestamp,event,channel,campaign,value");
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        long written = 0, id = 0;
        foreach (var j in Generate(seed))
        {
            if (id == journeys) break;
            id++;
            var t = start.AddSeconds(id * 17 % 31_536_000);
            for (var i = 0; i < j.Channels.Length && written < rows; i++, written++)
            {
                t = t.AddMinutes(37 + i * 11);
                w.Write("j"); w.Write(id); w.Write(','); w.Write(t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.Write(",touch,"); w.Write(j.Channels[i]); w.Write(",c"); w.Write(i % 4); w.WriteLine(",0");
            }
            if (written >= rows) break;
            if (j.Converted)
            {
                w.Write("j"); w.Write(id); w.Write(','); w.Write(t.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.Write(",conversion,,,"); w.WriteLine(j.Value.ToString(CultureInfo.InvariantCulture));
                written++;
            }
            if (written >= rows) break;
        }
        return written;
    }
}
