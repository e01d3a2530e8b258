using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SignalTests(ApiFactory factory)
{
    [Fact]
    public async Task ASpendSpikeIsFlaggedInTheIngestAnswerAndListedLater()
    {
        var world = SyntheticWorld.Generate(seed: 31);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var week = world.FirstWeek.AddDays(7 * 60);
        var normal = world.Performance.Single(p => p.Channel == "display" && p.Date == week);
        var response = await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/performance?grain=week",
            new[] { new { date = week.ToString("yyyy-MM-dd"), channel = "display", spend = normal.Spend * 6, conversions = normal.Conversions } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var flagged = Assert.Single(body.GetProperty("anomalies").EnumerateArray());
        Assert.Equal("display", flagged.GetProperty("channel").GetString());
        Assert.Equal("spend", flagged.GetProperty("metric").GetString());
        Assert.True(flagged.GetProperty("score").GetDouble() > 3.5);

        var listed = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/anomalies?from={week:yyyy-MM-dd}&to={week:yyyy-MM-dd}");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), a => a.GetProperty("channel").GetString() == "display" && a.GetProperty("metric").GetString() == "spend");
    }

    [Fact]
    public async Task ForecastGivesEachChannelTheNextWeeksWithWideningIntervals()
    {
        var world = SyntheticWorld.Generate(seed: 32);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Reader();
        var rows = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/forecast?metric=conversions&horizon=4");
        var list = rows.EnumerateArray().ToList();
        Assert.Equal(world.Channels.Count * 4, list.Count);
        var first = list.First(r => r.GetProperty("channel").GetString() == "video");
        Assert.Equal(world.FirstWeek.AddDays(7 * 104).ToString("yyyy-MM-dd"), first.GetProperty("week").GetString());
        Assert.True(first.GetProperty("lower_90").GetDouble() < first.GetProperty("value").GetDouble());
        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/forecast?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("channel,week,metric,value,lower_90,upper_90", csv[0]);
        await (await client.GetAsync($"/v1/workspaces/{ws.Id}/forecast?metric=clicks")).ReadProblemAsync(400);
    }
}
