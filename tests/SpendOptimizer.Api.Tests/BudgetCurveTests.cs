using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class BudgetCurveTests(ApiFactory factory)
{
    private static double? Number(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Number ? e.GetProperty(name).GetDouble() : null;

    [Fact]
    public async Task EachBudgetOfTheCurveIsTheRecommendationAtThatBudgetAndTheCsvHasARowPerPoint()
    {
        var world = SyntheticWorld.Generate(seed: 21);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var before = await ws.SnapshotAsync("recommendations");
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/budget-curve", new { locks = new[] { "podcasts" }, from = -0.3, to = 0.3, step = 0.05 });
        var curve = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 200, curve.ToString());
        var points = curve.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(13, points.Count);
        var today = curve.GetProperty("current_budget").GetDouble();
        foreach (var (p, k) in points.Select((p, k) => (p, k)))
        {
            Assert.Equal(-0.3 + 0.05 * k, p.GetProperty("change").GetDouble(), 9);
            Assert.Equal(today * (1 + p.GetProperty("change").GetDouble()), p.GetProperty("budget").GetDouble(), 6);
            if (p.GetProperty("status").GetString() == "infeasible")
            {
                Assert.False(string.IsNullOrEmpty(p.GetProperty("explanation").GetString()));
                continue;
            }
            Assert.True(Number(p, "p10") <= Number(p, "p50") && Number(p, "p50") <= Number(p, "p90"), p.ToString());
            Assert.Equal(Number(p, "value")!.Value - curve.GetProperty("current_value").GetDouble(), Number(p, "gain")!.Value, 6);
            if (k > 0 && points[k - 1].GetProperty("status").GetString() != "infeasible")
                Assert.Equal((Number(p, "value")!.Value - Number(points[k - 1], "value")!.Value) / (p.GetProperty("budget").GetDouble() - points[k - 1].GetProperty("budget").GetDouble()),
                    Number(p, "marginal_value")!.Value, 6);
        }
        // Today's budget: the point is the recommendation the same request makes.
        var zero = points[6];
        var plan = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { locks = new[] { "podcasts" } });
        var rec = await plan.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)plan.StatusCode == 201, rec.ToString());
        Assert.Equal(rec.GetProperty("recommended_value").GetDouble(), Number(zero, "value")!.Value, 6);
        Assert.Equal(rec.GetProperty("gain").GetProperty("p50").GetDouble(), Number(zero, "p50")!.Value, 6);
        // Beyond the band's 20% no plan spends the budget.
        Assert.Equal("infeasible", points[0].GetProperty("status").GetString());
        Assert.Equal("infeasible", points[^1].GetProperty("status").GetString());

        using var ask = new HttpRequestMessage(HttpMethod.Post, $"/v1/workspaces/{ws.Id}/budget-curve") { Content = JsonContent.Create(new { locks = new[] { "podcasts" } }) };
        ask.Headers.Accept.ParseAdd("text/csv");
        var csv = await client.SendAsync(ask);
        var rows = (await csv.Content.ReadAsStringAsync()).TrimEnd().Split("\r\n");
        Assert.Equal("change,budget,status,value,gain,p10,p50,p90,probability_positive,marginal_value,explanation", rows[0]);
        Assert.Equal(14, rows.Length);
        Assert.Contains(",optimal,", rows[7]);

        using var read = ws.Reader();
        Assert.Equal(403, (int)(await read.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/budget-curve", new { from = -0.1, to = 0.1, step = 0.1 })).StatusCode);
        Assert.Equal(before.Count + 1, (await ws.SnapshotAsync("recommendations")).Count);
    }

    [Fact]
    public async Task ABadRangeIsA400NamingTheField()
    {
        var world = SyntheticWorld.Generate(seed: 23);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { from = 0.2, to = -0.2 }, "to"),
                     (new { step = 0 }, "step"),
                     (new { from = -0.3, to = 0.3, step = 0.001 }, "step"),
                     (new { from = -1.5 }, "from"),
                     (new { locks = new[] { "radio" } }, "channels.radio"),
                 })
        {
            var problem = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/budget-curve", body)).ReadProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)}: {problem}");
        }
    }
}
