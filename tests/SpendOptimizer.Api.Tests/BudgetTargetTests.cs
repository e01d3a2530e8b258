using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class BudgetTargetTests(ApiFactory factory)
{
    private static double Sum(JsonElement plan, string field) => plan.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty(field).GetDouble());

    /// <summary>Σ CLV·customers / Σ spend, from each line's CLV:CAC and spend.</summary>
    private static double BlendedClvCac(JsonElement plan) =>
        plan.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("clv_cac").ValueKind == JsonValueKind.Number
            ? l.GetProperty("clv_cac").GetDouble() * l.GetProperty("recommended_spend").GetDouble() : 0) / Sum(plan, "recommended_spend");

    [Fact]
    public async Task AClvCacTargetSpendsTheLargestBudgetThatKeepsItWithinTheBand()
    {
        var world = SyntheticWorld.Generate(seed: 21);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var url = $"/v1/workspaces/{ws.Id}/recommendations";

        // Today's budget's best plan has some blended CLV:CAC; asking for exactly that must allow at least today's budget.
        var plain = await client.PostAsJsonAsync(url, new { });
        var reference = await plain.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)plain.StatusCode == 201, reference.ToString());
        var blend = BlendedClvCac(reference);
        var today = Sum(reference, "current_spend");

        var response = await client.PostAsJsonAsync(url, new { budget_mode = "target", target = new { clv_cac_min = blend } });
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, plan.ToString());
        var found = plan.GetProperty("budget_target");
        Assert.Equal("clv_cac_min", found.GetProperty("target").GetString());
        var budget = found.GetProperty("budget").GetDouble();
        Assert.Equal(budget, Sum(plan, "recommended_spend"), 1e-6 * today);
        Assert.True(budget >= today * (1 - 1e-4), $"budget {budget} under today's {today} though today's best plan meets the target");
        Assert.InRange(budget, found.GetProperty("least_budget").GetDouble() - 1e-6, found.GetProperty("most_budget").GetDouble() + 1e-6);
        Assert.True(BlendedClvCac(plan) >= blend * (1 - 1e-6), $"blend {BlendedClvCac(plan)} under the target {blend}");
        Assert.Equal(found.GetProperty("clv_cac").GetDouble(), BlendedClvCac(plan), 1e-6 * blend);
        Assert.Contains(found.GetProperty("binding").GetString(), new[] { "target", "band_upper_edge" });
        Assert.False(string.IsNullOrEmpty(found.GetProperty("explanation").GetString()));
        foreach (var l in plan.GetProperty("lines").EnumerateArray())
        {
            var change = Math.Abs(l.GetProperty("change").GetDouble());
            Assert.True(change < 1e-9 || change is >= 0.1 - 1e-7 and <= 0.2 + 1e-7, $"{l.GetProperty("channel")}: change {change}");
        }
        if (found.GetProperty("binding").GetString() == "target")
            Assert.Equal(JsonValueKind.Number, found.GetProperty("marginal_value").ValueKind);

        // A stricter target allows no more budget: every plan meeting it meets the looser one.
        var stricter = await client.PostAsJsonAsync(url, new { budget_mode = "target", target = new { clv_cac_min = blend * 1.01 } });
        var strict = await stricter.Content.ReadFromJsonAsync<JsonElement>();
        if ((int)stricter.StatusCode == 201)
            Assert.True(strict.GetProperty("budget_target").GetProperty("budget").GetDouble() <= budget * (1 + 1e-6));
        else Assert.Contains(strict.GetProperty("clashes").EnumerateArray(), c => c.GetProperty("subject").GetString() == "target");

        var stored = await client.GetFromJsonAsync<JsonElement>($"{url}/{plan.GetProperty("id").GetString()}");
        Assert.Equal("target", stored.GetProperty("request").GetProperty("request").GetProperty("budget_mode").GetString());
    }

    private static readonly (string Body, string Field)[] BadTargets =
    [
        ("""{"budget_mode": "target", "target": {"clv_cac_min": 3, "payback_max_months": 6}}""", "target"),
        ("""{"budget_mode": "target", "target": {"clv_cac_min": -3}}""", "target.clv_cac_min"),
        ("""{"budget_mode": "target", "target": {"payback_max_months": 0}}""", "target.payback_max_months"),
        ("""{"budget_mode": "target", "target": {"marginal_value_min": -1}}""", "target.marginal_value_min"),
        ("""{"target": {"clv_cac_min": 3}}""", "target"),
        ("""{"budget_mode": "target"}""", "target"),
        ("""{"budget_mode": "target", "budget": 1000, "target": {"clv_cac_min": 3}}""", "budget"),
    ];

    [Fact]
    public async Task ABadTargetIsA400NamingTheFieldAndStoresNothing()
    {
        var world = SyntheticWorld.Generate(seed: 23);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var before = await ws.SnapshotAsync("recommendations");
        foreach (var (body, field) in BadTargets)
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            var response = await client.PostAsync($"/v1/workspaces/{ws.Id}/recommendations", content);
            var problem = await response.ReadProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body}: {problem}");
        }
        Assert.Equal(before, await ws.SnapshotAsync("recommendations"));
    }
}
