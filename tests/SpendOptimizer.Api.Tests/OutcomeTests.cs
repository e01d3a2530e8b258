using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Core.Response;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>Once a recommended week's data arrives, the recommendation shows what it predicted and what happened.</summary>
[Collection(ApiCollection.Name)]
public sealed class OutcomeTests(ApiFactory factory)
{
    private static Dictionary<string, JsonElement> ByChannel(JsonElement outcome) =>
        outcome.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("channel").GetString()!);

    [Fact]
    public async Task OutcomeComparesThePredictionWithTheWeekAsItHappenedAndAccuracyTracksIt()
    {
        var world = SyntheticWorld.Generate(seed: 33, weeks: 80);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { });
        var rec = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, rec.ToString());
        var id = rec.GetProperty("id").GetString();
        var week = DateOnly.Parse(rec.GetProperty("week").GetString()!);
        Assert.Equal(DayOfWeek.Monday, week.DayOfWeek);
        var outcomeUrl = $"/v1/workspaces/{ws.Id}/recommendations/{id}/outcome";

        var waiting = await client.GetFromJsonAsync<JsonElement>(outcomeUrl);
        Assert.Equal("waiting", waiting.GetProperty("status").GetString());
        Assert.All(ByChannel(waiting).Values, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("actual_spend").ValueKind));

        // The week as it happened: the plan followed, 5% over on the first channel; conversions chosen by hand.
        var planned = rec.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("channel").GetString()!, l => l.GetProperty("recommended_spend").GetDouble());
        var first = planned.Keys.Order(StringComparer.Ordinal).First();
        var actualSpend = planned.ToDictionary(p => p.Key, p => p.Value * (p.Key == first ? 1.05 : 1));
        var conversions = planned.Keys.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => 10.0 + x.i);
        object Day(string c, int d) => new
        {
            date = week.AddDays(d).ToString("yyyy-MM-dd"), channel = c, spend = actualSpend[c] / 7, impressions = 1000, clicks = 10,
            conversions = conversions[c] / 7, revenue = conversions[c] * 20 / 7, new_customers = 1,
        };
        var put = await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/performance", planned.Keys.SelectMany(c => Enumerable.Range(0, 3).Select(d => Day(c, d))));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var partial = await client.GetFromJsonAsync<JsonElement>(outcomeUrl);
        Assert.Equal("partial", partial.GetProperty("status").GetString());
        Assert.All(ByChannel(partial).Values, l => Assert.Equal(3, l.GetProperty("days_with_data").GetInt32()));

        put = await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/performance", planned.Keys.SelectMany(c => Enumerable.Range(3, 4).Select(d => Day(c, d))));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var outcome = await client.GetFromJsonAsync<JsonElement>(outcomeUrl);
        Assert.Equal("complete", outcome.GetProperty("status").GetString());

        // Expected at the actual spend, recomputed here from the curves and a year of weekly spend before the week.
        var fit = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/response-curves");
        Assert.Equal(rec.GetProperty("fit_id").GetString(), fit.GetProperty("id").GetString());
        var lines = ByChannel(outcome);
        foreach (var curve in fit.GetProperty("curves").EnumerateArray())
        {
            var channel = curve.GetProperty("channel").GetString()!;
            double P(string name) => curve.GetProperty(name).GetProperty("value").GetDouble();
            var history = world.Performance.Where(p => p.Channel == channel && p.Date >= week.AddDays(-364) && p.Date < week)
                .OrderBy(p => p.Date).Select(p => p.Spend).Append(actualSpend[channel]).ToList();
            var expected = new HillAdstock(P("theta"), P("alpha"), P("kappa"), P("beta")).Predict(history)[^1];
            var factor = curve.GetProperty("factor_mean").GetDouble();
            var line = lines[channel];
            Assert.Equal(actualSpend[channel], line.GetProperty("actual_spend").GetDouble(), 6);
            Assert.Equal(conversions[channel], line.GetProperty("reported_conversions").GetDouble(), 6);
            Assert.Equal(conversions[channel] * factor, line.GetProperty("actual_conversions").GetDouble(), 6);
            Assert.Equal(expected, line.GetProperty("expected_conversions").GetDouble(), 6);
            Assert.Equal(conversions[channel] * factor - expected, line.GetProperty("error").GetDouble(), 6);
            Assert.Equal(channel == first ? 0.05 : 0, line.GetProperty("spend_followed").GetDouble(), 9);
            Assert.Equal(conversions[channel] * 20 * factor, line.GetProperty("actual_revenue").GetDouble(), 6);
        }
        var total = outcome.GetProperty("total");
        Assert.Equal(actualSpend.Values.Sum(), total.GetProperty("actual_spend").GetDouble(), 6);
        Assert.Equal(lines.Values.Sum(l => l.GetProperty("actual_conversions").GetDouble()), total.GetProperty("actual_conversions").GetDouble(), 6);
        Assert.Equal(lines.Values.Sum(l => l.GetProperty("predicted_conversions").GetDouble()), total.GetProperty("predicted_conversions").GetDouble(), 6);

        var csv = (await client.GetStringAsync(outcomeUrl + "?format=csv")).TrimEnd().Split("\r\n");
        Assert.StartsWith("channel,days_with_data,recommended_spend,actual_spend,spend_followed,predicted_conversions,expected_conversions,", csv[0]);
        Assert.Equal(planned.Count + 2, csv.Length);
        Assert.StartsWith("total,7,", csv[^1]);

        // A second recommendation for a later week is still waiting: accuracy counts only the complete week.
        var later = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { week = week.AddDays(7) });
        Assert.Equal(201, (int)later.StatusCode);
        var accuracy = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/recommendations/accuracy");
        var model = accuracy.GetProperty("model");
        Assert.Equal(1, model.GetProperty("count").GetInt32());
        var actual = total.GetProperty("actual_conversions").GetDouble();
        Assert.Equal(Math.Abs(actual - total.GetProperty("expected_conversions").GetDouble()) / actual, model.GetProperty("mape").GetDouble(), 9);
        Assert.Equal(Math.Abs(actual - total.GetProperty("predicted_conversions").GetDouble()) / actual, accuracy.GetProperty("plan").GetProperty("mape").GetDouble(), 9);
        Assert.Equal(planned.Count, accuracy.GetProperty("channels").GetArrayLength());
        Assert.Equal(["waiting", "complete"], accuracy.GetProperty("weeks").EnumerateArray().Select(w => w.GetProperty("status").GetString()));
        var accuracyCsv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/recommendations/accuracy?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("recommendation_id,week,status,recommended_spend,actual_spend,predicted_conversions,expected_conversions,actual_conversions,percent_error", accuracyCsv[0]);
        Assert.Equal(3, accuracyCsv.Length);
    }

    [Fact]
    public async Task UnknownRecommendationAnswers404()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Reader();
        var problem = await (await client.GetAsync($"/v1/workspaces/{ws.Id}/recommendations/{Guid.NewGuid()}/outcome")).ReadProblemAsync(404);
        Assert.Contains("no recommendation", problem.GetProperty("detail").GetString());
    }
}
