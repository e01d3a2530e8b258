using System.Text.Json;
using SpendOptimizer.Core.Simulation;

namespace SpendOptimizer.Benchmarks;

/// <summary>Scores the API's recommendations for a seeded world against the world's truth: one markdown row.</summary>
public static class DecisionQuality
{
    /// <param name="testAll">The world was loaded with its untested channel lift-tested too (demo-data --test-all).</param>
    public static string Row(int seed, string recommendationFile, string rawFile, bool testAll = false)
    {
        var world = SyntheticWorld.Generate(seed, testAll: testAll);
        var rec = JsonDocument.Parse(File.ReadAllText(recommendationFile)).RootElement;
        var current = Spend(rec, "current_spend");
        var limits = rec.GetProperty("request").GetProperty("parameters");
        var payback = limits.GetProperty("max_payback_months").GetDouble();
        var ratio = limits.GetProperty("min_clv_cac").GetDouble();
        DecisionScore Score(JsonElement r) => DecisionScore.Of(world, current, Spend(r, "recommended_spend"), maxPaybackMonths: payback, minClvCac: ratio);
        var calibrated = Score(rec);
        var raw = JsonDocument.Parse(File.ReadAllText(rawFile)).RootElement;
        var rawScore = raw.TryGetProperty("lines", out _) ? Score(raw) : null;
        var gain = rec.GetProperty("gain");
        var relaxed = ratio < 3 || payback > 12 ? $" (limits relaxed to CLV:CAC ≥ {ratio:F2}, payback ≤ {payback:F1})" : "";
        return $"| {seed}{relaxed} | {calibrated.OptimumGain:N0} | {calibrated.PlanGain:N0} | **{calibrated.Share:P0}** | {(calibrated.BrokenRules.Count == 0 ? "none" : string.Join("; ", calibrated.BrokenRules))} | " +
               $"{gain.GetProperty("p10").GetDouble():N0} / {gain.GetProperty("p50").GetDouble():N0} / {gain.GetProperty("p90").GetDouble():N0} | " +
               (rawScore is null ? "no plan (422) | – |" : $"{rawScore.PlanGain:N0} ({rawScore.Share:P0}) | {(rawScore.BrokenRules.Count == 0 ? "none" : string.Join("; ", rawScore.BrokenRules))} |") +
               $" {TestNext(rec, world)} |";
    }

    /// <summary>The channel whose true response would be worth most to know, its value, and whether it is the untested one.</summary>
    private static string TestNext(JsonElement rec, SyntheticWorld world)
    {
        var top = rec.GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("test_value").ValueKind == JsonValueKind.Number)
            .MaxBy(l => l.GetProperty("test_value").GetDouble());
        if (top.ValueKind == JsonValueKind.Undefined) return "–";
        var channel = top.GetProperty("channel").GetString()!;
        var untested = !world.LiftTests.Any(t => t.Channel == channel) ? " (untested)" : "";
        return $"{channel}{untested} {top.GetProperty("test_value").GetDouble():N0}";
    }

    /// <summary>The request body that applies the smallest relaxation a 422 answer named, as a user would.</summary>
    /// <param name="caution">The request's caution_quantile, kept in the relaxed request (null: the catalogue's default).</param>
    public static string Relaxed(string problemFile, double? caution = null)
    {
        var clashes = JsonDocument.Parse(File.ReadAllText(problemFile)).RootElement.GetProperty("clashes").EnumerateArray().ToList();
        var ratio = clashes.Where(c => c.GetProperty("limit").GetString() == "clv_cac").Select(c => c.GetProperty("achievable").GetDouble()).DefaultIfEmpty(3).Min();
        var payback = clashes.Where(c => c.GetProperty("limit").GetString() == "payback").Select(c => c.GetProperty("achievable").GetDouble()).DefaultIfEmpty(12).Max();
        var parameters = new Dictionary<string, double>
        {
            ["min_clv_cac"] = Math.Min(3, Math.Floor(ratio * 100) / 100 - 0.01),
            ["max_payback_months"] = Math.Max(12, Math.Ceiling(payback * 10) / 10 + 0.1),
        };
        if (caution is { } q) parameters["caution_quantile"] = q;
        return JsonSerializer.Serialize(new { parameters });
    }

    private static Dictionary<string, double> Spend(JsonElement rec, string field) =>
        rec.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("channel").GetString()!, l => l.GetProperty(field).GetDouble());
}
