using System.Globalization;
using System.Text.Json;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// Scores the API's recommendations for a seeded world against the world's truth (exact optimum under the same rules,
/// today's plan as stated by the world), and sums the scores up per family.
/// </summary>
public static class DecisionQuality
{
    public static IScoredWorld World(string family, int seed, bool testAll = false) => family switch
    {
        "synthetic" => SyntheticWorld.Generate(seed, testAll: testAll),
        "market" => MarketWorld.Generate(seed, testAll: testAll),
        _ => throw new ArgumentException($"unknown family '{family}' (synthetic or market)"),
    };

    /// <summary>One tab-separated line: family, seed, outcome (plan or refused), share, gains, breaks, the raw plan's share, test next.</summary>
    public static string Score(string family, int seed, string recommendationFile, string? rawFile, bool testAll = false)
    {
        var world = World(family, seed, testAll);
        var rules = new ScoreRules();
        var optimum = TrueOptimum.Of(world, world.CurrentPlan, rules);
        var rec = JsonDocument.Parse(File.ReadAllText(recommendationFile)).RootElement;
        string Cell(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        if (!rec.TryGetProperty("lines", out _))
            return string.Join('\t', family, seed, "refused", "", Cell(optimum.Gain), "", "", "", "", "", "", "", rec.GetProperty("detail").GetString());
        var score = PlanScore.Of(world, Spend(rec, "recommended_spend"), world.CurrentPlan, rules, optimum);
        var raw = rawFile is not null && File.Exists(rawFile) ? JsonDocument.Parse(File.ReadAllText(rawFile)).RootElement : default;
        var rawShare = raw.ValueKind != JsonValueKind.Object ? "–"
            : raw.TryGetProperty("lines", out _) ? Cell(PlanScore.Of(world, Spend(raw, "recommended_spend"), world.CurrentPlan, rules, optimum).Share) : "refused";
        return string.Join('\t', family, seed, "plan", Cell(score.Share), Cell(score.OptimumGain), Cell(score.PlanGain),
            string.Join(';', score.BandBreaks), score.BudgetBreak ? "yes" : "", string.Join(';', score.LimitBreaksWhereMeetable),
            string.Join(';', score.LimitBreaksWhereUnmeetable), rawShare, TestNext(rec, world), Warnings(rec));
    }

    /// <summary>Per family: the median and 10th percentile share, worlds at ≥ 0.8, refusals and every kind of break, as a markdown table.</summary>
    public static IEnumerable<string> Summary(string scoresFile)
    {
        yield return "| family | worlds | median share | 10th percentile | worlds ≥ 0.8 | refused | band breaks | budget breaks | limit breaks where the optimum meets it | limit breaks where no allowed level can | raw attribution: median share |";
        yield return "|---|---|---|---|---|---|---|---|---|---|---|";
        foreach (var family in File.ReadLines(scoresFile).Select(l => l.Split('\t')).GroupBy(f => f[0]))
        {
            var rows = family.ToList();
            // A refusal scores as capturing nothing: a user left with no plan gains nothing.
            var shares = rows.Select(r => r[2] == "plan" ? double.Parse(r[3], CultureInfo.InvariantCulture) : 0).Order().ToArray();
            var raw = rows.Where(r => r[2] == "plan" && r[10] != "–").Select(r => r[10] == "refused" ? 0 : double.Parse(r[10], CultureInfo.InvariantCulture)).Order().ToArray();
            int Count(int column) => rows.Where(r => r[2] == "plan").Sum(r => r[column] == "" ? 0 : r[column].Split(';').Length);
            yield return $"| {family.Key} | {rows.Count} | {Percentile(shares, 0.5):P0} | {Percentile(shares, 0.1):P0} | {shares.Count(s => s >= 0.8)} of {rows.Count} | " +
                         $"{rows.Count(r => r[2] == "refused")} | {Count(6)} | {rows.Count(r => r[2] == "plan" && r[7] == "yes")} | {Count(8)} | {Count(9)} | " +
                         $"{(raw.Length == 0 ? "–" : Percentile(raw, 0.5).ToString("P0", CultureInfo.InvariantCulture))} |";
        }
    }

    /// <summary>The per-world table of a scores file, as markdown.</summary>
    public static IEnumerable<string> Table(string scoresFile)
    {
        yield return "| family | seed | share of the true optimum's gain | optimum's gain | plan's gain | band breaks | budget break | limit breaks (meetable) | limit breaks (unmeetable in truth) | raw attribution's share | test next | warnings |";
        yield return "|---|---|---|---|---|---|---|---|---|---|---|---|";
        foreach (var r in File.ReadLines(scoresFile).Select(l => l.Split('\t')))
            yield return r[2] == "refused"
                ? $"| {r[0]} | {r[1]} | **refused** | {r[4]} | | | | | | | | {r[12]} |"
                : $"| {r[0]} | {r[1]} | **{double.Parse(r[3], CultureInfo.InvariantCulture):P0}** | {double.Parse(r[4], CultureInfo.InvariantCulture):N0} | {double.Parse(r[5], CultureInfo.InvariantCulture):N0} | " +
                  $"{Or(r[6])} | {Or(r[7])} | {Or(r[8])} | {Or(r[9])} | {(r[10] is "refused" or "–" ? r[10] : double.Parse(r[10], CultureInfo.InvariantCulture).ToString("P0", CultureInfo.InvariantCulture))} | {r[11]} | {r[12]} |";
    }

    /// <summary>Per channel: the truth, what the service believed and did, and what the optimum does; for reading a miss.</summary>
    public static IEnumerable<string> Explain(string family, int seed, string recommendationFile)
    {
        var world = World(family, seed);
        var rec = JsonDocument.Parse(File.ReadAllText(recommendationFile)).RootElement;
        var optimum = TrueOptimum.Of(world, world.CurrentPlan, new ScoreRules());
        var truth = world.TrueLines(world.CurrentPlan).ToDictionary(l => l.Name);
        yield return "channel	tested	today	plan	optimum	true g(today)	fitted g(today)	true clv:cac	fitted clv:cac	reason";
        foreach (var l in rec.GetProperty("lines").EnumerateArray())
        {
            var name = l.GetProperty("channel").GetString()!;
            var t = truth[name];
            var s0 = t.CurrentSpend;
            yield return string.Join('	', name, world.LiftTests.Any(x => x.Channel == name) ? "yes" : "no", s0.ToString("N0"),
                l.GetProperty("recommended_spend").GetDouble().ToString("N0"), optimum.Plan.GetValueOrDefault(name).ToString("N0"),
                t.Response(s0).ToString("N1"), l.GetProperty("current_conversions").GetDouble().ToString("N1"),
                (t.Clv * t.CustomersPerConversion * t.Response(s0) / s0).ToString("N2"),
                l.GetProperty("clv_cac").ValueKind == JsonValueKind.Number ? l.GetProperty("clv_cac").GetDouble().ToString("N2") : "–",
                l.GetProperty("reason").GetString());
        }
    }

    private static string Or(string cell) => cell == "" ? "–" : cell;

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : Quantiles.OfSorted(sorted, q);

    /// <summary>The channel whose true response would be worth most to know, its value, and whether it is untested.</summary>
    private static string TestNext(JsonElement rec, IScoredWorld world)
    {
        var top = rec.GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("test_value").ValueKind == JsonValueKind.Number)
            .MaxBy(l => l.GetProperty("test_value").GetDouble());
        if (top.ValueKind == JsonValueKind.Undefined) return "–";
        var channel = top.GetProperty("channel").GetString()!;
        var untested = !world.LiftTests.Any(t => t.Channel == channel) ? " (untested)" : "";
        return $"{channel}{untested} {top.GetProperty("test_value").GetDouble():N0}";
    }

    /// <summary>The channels held at the level closest to limits they cannot meet, read from the lines rather than the warnings' words.</summary>
    private static string Warnings(JsonElement rec) =>
        rec.TryGetProperty("lines", out var lines)
            ? string.Join(' ', lines.EnumerateArray()
                .Where(l => l.TryGetProperty("unreachable", out var u) && u.ValueKind == JsonValueKind.Object)
                .Select(l => l.GetProperty("channel").GetString() + " held"))
            : "";

    private static Dictionary<string, double> Spend(JsonElement rec, string field) =>
        rec.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("channel").GetString()!, l => l.GetProperty(field).GetDouble());
}
