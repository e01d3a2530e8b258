using System.Net.Http.Json;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>Loads a synthetic world into a workspace through the public API, as a customer would.</summary>
public static class WorldLoader
{
    /// <param name="journeys">Also load the world's customer paths and run Markov attribution on them; returns that run's id.</param>
    public static async Task<string?> LoadAsync(TestWorkspace ws, IScoredWorld world, bool journeys = false)
    {
        using var client = ws.Ingest();
        async Task Send(HttpMethod method, string route, object body, string query = "")
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, $"/v1/workspaces/{ws.Id}/{route}{query}")
            {
                Content = JsonContent.Create(body, options: ApiFactory.Json),
            });
            Assert.True(response.IsSuccessStatusCode, $"{route}: {await response.Content.ReadAsStringAsync()}");
        }
        await Send(HttpMethod.Put, "performance", world.Performance.Select(p => new
        {
            date = p.Date.ToString("yyyy-MM-dd"), channel = p.Channel, spend = p.Spend, impressions = p.Impressions, clicks = p.Clicks,
            conversions = p.Conversions, revenue = p.Revenue, new_customers = p.NewCustomers,
        }), "?grain=week");
        await Send(HttpMethod.Post, "lift-tests", world.LiftTests.Select(t => new
        {
            id = t.Id, channel = t.Channel, kind = t.Kind.ToString().ToLowerInvariant(), start = t.Start.ToString("yyyy-MM-dd"),
            end = t.End.ToString("yyyy-MM-dd"), incremental_conversions = t.IncrementalConversions,
            stderr = t.Uncertainty.EffectiveStandardError, attributed_conversions = t.AttributedConversions, spend = t.Spend,
        }));
        await Send(HttpMethod.Put, "economics", world.Economics.Select(e => new
        {
            channel = e.Channel, arpa_monthly = e.ArpaMonthly, gross_margin = e.GrossMargin, monthly_churn = e.MonthlyChurn,
            annual_discount_rate = e.AnnualDiscountRate,
        }));
        if (!journeys) return null;
        await Send(HttpMethod.Put, "paths", world.Paths.Select(p => new
        {
            path = p.Path.ToString(), total_conversions = p.TotalConversions, total_conversion_value = p.TotalConversionValue, total_null = p.TotalNull,
        }));
        var run = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov", source = "paths" });
        var body = await run.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(run.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("id").GetString();
    }
}
