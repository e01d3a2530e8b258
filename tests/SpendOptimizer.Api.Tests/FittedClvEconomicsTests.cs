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

        var fit = await FitOrdersAsync(client, ws, world, withCustomers);
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

    [Fact]
    public async Task Kpis_lines_and_the_report_show_the_fitted_clv_beside_the_typed_one()
    {
        var world = SyntheticWorld.Generate(7, 105);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var (fittedChannel, typedChannel) = (world.Channels[0].Name, world.Channels[1].Name);
        // The fitted row states a churn too, so its typed figure exists: 33.75 a month kept at 0.95 a month, undiscounted, over 120 months.
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/economics", TestWorkspace.Csv(
            $"channel,arpa_monthly,gross_margin,monthly_churn,annual_discount_rate,clv_source\n{fittedChannel},45,0.75,0.05,0,fitted\n" +
            $"{typedChannel},40,0.5,0.1,0,typed\n"))).EnsureSuccessStatusCode();
        var typedOfFitted = 33.75 * (1 - Math.Pow(0.95, 120)) / 0.05;
        var typedOfTyped = 20 * (1 - Math.Pow(0.9, 120)) / 0.1;
        var fit = await FitOrdersAsync(client, ws, world, fittedChannel);
        var group = Assert.Single(fit.GetProperty("groups").EnumerateArray()).GetProperty("clv");
        var pooled = fit.GetProperty("pooled").GetProperty("clv").GetProperty("point").GetDouble();

        var kpis = JsonDocument.Parse(await client.GetStringAsync($"/v1/workspaces/{ws.Id}/kpis?grain=total")).RootElement.GetProperty("rows").EnumerateArray().ToList();
        JsonElement Kpi(string channel) => kpis.Single(r => r.GetProperty("channel").GetString() == channel);
        var f = Kpi(fittedChannel);
        Assert.Equal("fitted", f.GetProperty("clv_source").GetString());
        Assert.Equal(group.GetProperty("point").GetDouble(), f.GetProperty("clv").GetDouble(), 1e-6);
        Assert.Equal(group.GetProperty("point").GetDouble(), f.GetProperty("fitted_clv").GetDouble(), 1e-9);
        Assert.Equal(group.GetProperty("p5").GetDouble(), f.GetProperty("fitted_clv_lower90").GetDouble(), 1e-9);
        Assert.Equal(group.GetProperty("p95").GetDouble(), f.GetProperty("fitted_clv_upper90").GetDouble(), 1e-9);
        Assert.Equal(typedOfFitted, f.GetProperty("typed_clv").GetDouble(), 1e-6);
        var t = Kpi(typedChannel);
        Assert.Equal("typed", t.GetProperty("clv_source").GetString());
        Assert.Equal(typedOfTyped, t.GetProperty("clv").GetDouble(), 1e-6);
        Assert.Equal(typedOfTyped, t.GetProperty("typed_clv").GetDouble(), 1e-6);
        Assert.Equal(pooled, t.GetProperty("fitted_clv").GetDouble(), 1e-9); // no customers of its own: the pooled fit's
        Assert.Equal(JsonValueKind.Null, Kpi("all").GetProperty("clv").ValueKind);
        var kpiCsv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/kpis?grain=total&format=csv")).Split("\r\n");
        Assert.EndsWith(",clv,clv_source,typed_clv,fitted_clv,fitted_clv_lower_90,fitted_clv_upper_90", kpiCsv[0]);

        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { limit_scope = "none", current = world.CurrentPlan });
        var rec = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)created.StatusCode == 201, rec.ToString());
        JsonElement Line(JsonElement r, string channel) => r.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("channel").GetString() == channel);
        var line = Line(rec, fittedChannel);
        Assert.Equal("fitted", line.GetProperty("clv_source").GetString());
        Assert.Equal(group.GetProperty("point").GetDouble(), line.GetProperty("clv").GetDouble(), 1e-6);
        Assert.Equal(line.GetProperty("clv").GetDouble(), line.GetProperty("clv_cac").GetDouble() * line.GetProperty("cac").GetDouble(), 1e-6 * line.GetProperty("clv").GetDouble());
        Assert.Equal(typedOfFitted, line.GetProperty("typed_clv").GetDouble(), 1e-6);
        Assert.Equal(pooled, Line(rec, typedChannel).GetProperty("fitted_clv").GetDouble(), 1e-9);

        // The stored plan keeps the CLV it was made on after the economics change.
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/economics", TestWorkspace.Csv(
            $"channel,arpa_monthly,gross_margin,monthly_churn,annual_discount_rate,clv_source\n{fittedChannel},45,0.75,0.05,0,typed\n"))).EnsureSuccessStatusCode();
        using var reader = ws.Reader();
        var id = rec.GetProperty("id").GetString();
        var stored = Line(await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/recommendations/{id}"), fittedChannel);
        foreach (var field in new[] { "clv", "typed_clv", "fitted_clv" })
            Assert.Equal(line.GetProperty(field).GetDouble(), stored.GetProperty(field).GetDouble());
        Assert.Equal("fitted", stored.GetProperty("clv_source").GetString());
        var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/recommendations/{id}?format=csv")).Split("\r\n");
        Assert.EndsWith(",clv,clv_source,typed_clv,fitted_clv", csv[0]);
        var html = await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/recommendations/{id}/report");
        var cell = System.Text.RegularExpressions.Regex.Match(html, $"<tr data-channel=\"{fittedChannel}\">.*?<td class=\"clv\">(.*?)</td>").Groups[1].Value;
        Assert.Equal($"{line.GetProperty("clv").GetDouble().ToString("#,0", CultureInfo.InvariantCulture)} <span class=\"muted\">fitted</span>" +
            $"<br><span class=\"muted\">typed {typedOfFitted.ToString("#,0", CultureInfo.InvariantCulture)}</span>", cell);
    }

    /// <summary>Orders of simulated customers of <paramref name="channel"/> over the world's dates, and a customer-value fit on them.</summary>
    internal static async Task<JsonElement> FitOrdersAsync(HttpClient client, TestWorkspace ws, SyntheticWorld world, string channel)
    {
        var customers = DemoCustomers.Generate(3, [channel], world.Performance.Min(p => p.Date), world.Performance.Max(p => p.Date), 800);
        var orders = new StringBuilder("customer_id,ordered_at,revenue,acquisition_channel\n");
        foreach (var c in customers)
            foreach (var (day, revenue) in c.Orders)
                orders.Append(CultureInfo.InvariantCulture, $"{c.Id},{day:yyyy-MM-dd},{revenue},{c.Channel}\n");
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/orders", TestWorkspace.Csv(orders.ToString()))).EnsureSuccessStatusCode();
        var fitted = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/customer-value/fit", new { margin = 0.75 });
        var fit = JsonDocument.Parse(await fitted.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)fitted.StatusCode == 201, fit.ToString());
        return fit;
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
