using System.Text.Json;

namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>Reads a recommendation's lines as channel → field.</summary>
public static class RecommendationJson
{
    public static Dictionary<string, double> Spend(JsonElement rec, string field) =>
        Nullable(rec, field).ToDictionary(kv => kv.Key, kv => kv.Value ?? throw new InvalidOperationException($"{field} of {kv.Key} is null"));

    public static Dictionary<string, double?> Nullable(JsonElement rec, string field) =>
        rec.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("channel").GetString()!,
            l => l.GetProperty(field).ValueKind == JsonValueKind.Null ? (double?)null : l.GetProperty(field).GetDouble());
}
