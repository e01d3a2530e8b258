using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Cli;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>Economics with clv_source fitted: the plan's CLV per channel is the customer-value fit's, the pooled one for a channel without customers.</summary>
[Collection(ApiCollection.Name)]
public sealed class FittedClvEconomicsTests(ApiFactory factory)
{
    [Fact]
    public async Task A_fitted_clv_source_puts_the_fitted_clv_into_the_recommendation()
    {
        var world = SyntheticWorld.Generate(7, 104);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var (withCustomers, without) = (world.Channels[0].Name, world.Channels[1].Name);

        var typed = await RecommendAsync(client, ws);
        var bad = await client.PutAsync($"/v1/workspaces/{ws.Id}/economics", TestWorkspace.Csv(
            $"channel,arpa_monthly,gross_margin,clv_source\n{withCustomers},45,0.75,guess\n"));
        Assert.Contains((await bad.ReadProblemAsync(400)).Errors(), e => e.GetProperty("column").GetString() == "clv_source");

        var economics = $"channel,arpa_monthly,gross_margin,clv_source\n{withCustomers},45,0.75,fitted\n{without},45,0.75,fitted\n";
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/economics", TestWorkspace.Csv(economics))).EnsureSuccessStatusCode();
        var noFit = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { current = world.CurrentPlan });
        Assert.True((await noFit.ReadProblemAsync(400)).GetProperty("errors").TryGetProperty($"economics.{withCustomers}", out _));
        Assert.Null(await KpiClvAsync(client, ws, withCustomers)); // no fit yet: no CLV figure rather than the typed formula's

        var customers = DemoCustomers.Generate(3, [withCustomers], world.Performance.Min(p => p.Date), world.Performance.Max(p => p.Date), 800);
        var orders = new StringBuilder("customer_id,ordered_at,revenue,acquisition_channel\n");
        foreach (var c in customers)
            foreach (var (day, revenue) in c.Orders)
                orders.Append(CultureInfo.InvariantCulture, $"{c.Id},{day:yyyy-MM-dd},{revenue},{c.Channel}\n");
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/orders", TestWorkspace.Csv(orders.ToString()))).EnsureSuccessStatusCode();
        var fitted = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/customer-value/fit", new { margin = 0.75 });
        var fit = JsonDocument.Parse(await fitted.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)fitted.StatusCode == 201, fit.ToString());
        var groupClv = Assert.Single(fit.GetProperty("groups").EnumerateArray()).GetProperty("clv").GetProperty("point").GetDouble();
        var pooledClv = fit.GetProperty("pooled").GetProperty("clv").GetProperty("point").GetDouble();

        var plan = await RecommendAsync(client, ws);
        Assert.Equal(groupClv, plan[withCustomers], groupClv * 1e-6);
        Assert.Equal(pooledClv, plan[without], pooledClv * 1e-6);
        Assert.Equal(groupClv, (await KpiClvAsync(client, ws, withCustomers))!.Value, groupClv * 1e-6);
        Assert.Equal(pooledClv, (await KpiClvAsync(client, ws, without))!.Value, pooledClv * 1e-6);
        Assert.NotEqual(typed[withCustomers], plan[withCustomers], typed[withCustomers] * 1e-3);
        // The other channels keep the typed 'all' row.
        var other = world.Channels[2].Name;
        Assert.Equal(typed[other], plan[other], typed[other] * 1e-6);
    }

    /// <summary>A channel's CLV in the KPIs over the whole data, read back as clv_cac × cac; null when the KPIs give none.</summary>
    private static async Task<double?> KpiClvAsync(HttpClient client, TestWorkspace ws, string channel)
    {
        var response = await client.GetAsync($"/v1/workspaces/{ws.Id}/kpis?grain=total");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)response.StatusCode == 200, body.ToString());
        var row = body.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("channel").GetString() == channel);
        return row.GetProperty("clv_cac").ValueKind == JsonValueKind.Number ? row.GetProperty("clv_cac").GetDouble() * row.GetProperty("cac").GetDouble() : null;
    }

    /// <summary>Each line's CLV, read back as clv_cac × cac.</summary>
    private static async Task<Dictionary<string, double>> RecommendAsync(HttpClient client, TestWorkspace ws)
    {
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { limit_scope = "none" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)response.StatusCode == 201, body.ToString());
        return body.GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("cac").ValueKind == JsonValueKind.Number && l.GetProperty("clv_cac").ValueKind == JsonValueKind.Number)
            .ToDictionary(l => l.GetProperty("channel").GetString()!, l => l.GetProperty("clv_cac").GetDouble() * l.GetProperty("cac").GetDouble());
    }
}
