using System.Net.Http.Json;
using System.Text.Json;

namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>Requests a recommendation and reads its lines as channel → field.</summary>
public static class RecommendationJson
{
    /// <summary>POSTs a recommendation request and returns the answer, asserting its status (201: a plan).</summary>
    public static async Task<JsonElement> PlanAsync(HttpClient client, string ws, object body, int status = 201)
    {
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws}/recommendations", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == status, json.ToString());
        return json;
    }

    public static Dictionary<string, double> Spend(JsonElement rec, string field) =>
        Nullable(rec, field).ToDictionary(kv => kv.Key, kv => kv.Value ?? throw new InvalidOperationException($"{field} of {kv.Key} is null"));

    public static Dictionary<string, double?> Nullable(JsonElement rec, string field) =>
        rec.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("channel").GetString()!,
            l => l.GetProperty(field).ValueKind == JsonValueKind.Null ? (double?)null : l.GetProperty(field).GetDouble());
}
