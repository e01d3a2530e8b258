using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>A plan on fitted CLV carries the CLV's doubt: its gain is wider than on the same CLV typed.</summary>
[Collection(ApiCollection.Name)]
public sealed class FittedClvDoubtTests(ApiFactory factory)
{
    [Fact]
    public async Task A_fitted_clv_widens_the_gain_against_the_same_clv_typed()
    {
        var world = SyntheticWorld.Generate(7, 104);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var channel = world.Channels[0].Name;

        var fit = await FittedClvEconomicsTests.FitOrdersAsync(client, ws, world, channel);
        var clv = Assert.Single(fit.GetProperty("groups").EnumerateArray()).GetProperty("clv");
        var point = clv.GetProperty("point").GetDouble();
        Assert.True(clv.GetProperty("p95").GetDouble() > clv.GetProperty("p5").GetDouble(), clv.ToString());

        (await client.PutAsync($"/v1/workspaces/{ws.Id}/economics", TestWorkspace.Csv(
            $"channel,arpa_monthly,gross_margin,clv_source\n{channel},45,0.75,fitted\n"))).EnsureSuccessStatusCode();
        var onFit = await RecommendAsync(client, ws);
        var again = await RecommendAsync(client, ws);
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/economics", TestWorkspace.Csv(
            string.Create(CultureInfo.InvariantCulture, $"channel,arpa_monthly,gross_margin,clv_override\n{channel},45,0.75,{point:R}\n")))).EnsureSuccessStatusCode();
        var typed = await RecommendAsync(client, ws);

        // One point CLV, so one plan and one expected gain; only the spread around it differs.
        Assert.Equal(typed.Plan, onFit.Plan);
        Assert.Equal(typed.Expected, onFit.Expected, Math.Abs(typed.Expected) * 1e-9);
        Assert.True(onFit.P90 - onFit.P10 > typed.P90 - typed.P10,
            $"fitted p10–p90 {onFit.P10:G6}–{onFit.P90:G6}, typed {typed.P10:G6}–{typed.P90:G6}");
        // The same seed draws the same CLVs.
        Assert.Equal((onFit.P10, onFit.P50, onFit.P90), (again.P10, again.P50, again.P90));
    }

    private sealed record Gain(double Expected, double P10, double P50, double P90, Dictionary<string, double> Plan);

    private static async Task<Gain> RecommendAsync(HttpClient client, TestWorkspace ws)
    {
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { limit_scope = "none", seed = 11 });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)response.StatusCode == 201, body.ToString());
        var g = body.GetProperty("gain");
        return new Gain(g.GetProperty("expected").GetDouble(), g.GetProperty("p10").GetDouble(), g.GetProperty("p50").GetDouble(), g.GetProperty("p90").GetDouble(),
            body.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("channel").GetString()!, l => l.GetProperty("recommended_spend").GetDouble()));
    }
}
