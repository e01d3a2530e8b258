using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>GET …/kpis against numbers worked out by hand from what was loaded.</summary>
[Collection(ApiCollection.Name)]
public sealed class KpiTests(ApiFactory factory)
{
    private static async Task<TestWorkspace> LoadAsync(ApiFactory factory)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        async Task Send(HttpMethod method, string route, string csv)
        {
            var r = await client.SendAsync(new HttpRequestMessage(method, $"/v1/workspaces/{ws.Id}/{route}") { Content = TestWorkspace.Csv(csv) });
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        }
        await Send(HttpMethod.Put, "performance?grain=week", """
            date,channel,spend,impressions,clicks,conversions,revenue,new_customers
            2026-01-05,search,1000,0,0,25,3000,20
            2026-01-12,search,1200,0,0,30,3300,24
            2026-01-05,social,500,0,0,30,900,25
            2026-01-12,social,400,0,0,20,600,16
            """ + "\n");
        // CLV is overridden so every ratio stays arithmetic: monthly margin 40 and 10, CLV 600 and 150.
        await Send(HttpMethod.Put, "economics", """
            channel,arpa_monthly,gross_margin,monthly_churn,annual_discount_rate,clv_override
            search,50,0.8,0.05,0,600
            social,20,0.5,0.05,0,150
            """ + "\n");
        await Send(HttpMethod.Post, "lift-tests", """
            id,channel,kind,start,end,incremental_conversions,stderr,attributed_conversions,spend
            geo-search,search,geo,2026-01-05,2026-01-18,27.5,2,55,2200
            """ + "\n");
        return ws;
    }

    private static JsonElement Row(JsonElement kpis, string period, string channel) =>
        kpis.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("period").GetString() == period && r.GetProperty("channel").GetString() == channel);

    private static double D(JsonElement row, string name) => row.GetProperty(name).GetDouble();

    [Fact]
    public async Task WeeklyKpisAreAttributedAndIncrementalPerChannelAndBlended()
    {
        var ws = await LoadAsync(factory);
        using var reader = ws.Reader();
        var factors = (await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality")).GetProperty("channels")
            .EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("mean").GetDouble());
        var f = factors["search"];
        var g = factors["social"];
        Assert.InRange(f, 0.4, 0.7); // the lift test pulls search well below the prior of 1

        var kpis = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/kpis?grain=week");
        Assert.Equal(6, kpis.GetProperty("rows").GetArrayLength());
        var search = Row(kpis, "2026-01-05", "search");
        Assert.Equal(1000, D(search, "spend"));
        Assert.Equal(50, D(search, "cac"), 9);
        Assert.Equal(3, D(search, "roas"), 9);
        Assert.Equal(1.25, D(search, "payback_months"), 9);
        Assert.Equal(12, D(search, "clv_cac"), 9);
        Assert.Equal(f, D(search, "factor"), 9);
        Assert.Equal(20 * f, D(search, "incremental_new_customers"), 9);
        Assert.Equal(1000 / (20 * f), D(search, "incremental_cac"), 9);
        Assert.Equal(1000 / (20 * f) / 40, D(search, "incremental_payback_months"), 9);
        Assert.Equal(600 * 20 * f / 1000, D(search, "incremental_clv_cac"), 9);
        Assert.Equal(3000 * f / 1000, D(search, "incremental_roas"), 9);

        var all = Row(kpis, "2026-01-05", "all");
        Assert.Equal(1500, D(all, "spend"));
        Assert.Equal(1500.0 / 45, D(all, "cac"), 9);
        Assert.Equal(3900.0 / 1500, D(all, "roas"), 9);
        Assert.Equal(1500.0 / (20 * 40 + 25 * 10), D(all, "payback_months"), 9);
        Assert.Equal((20 * 600 + 25 * 150) / 1500.0, D(all, "clv_cac"), 9);
        Assert.Equal(20 * f + 25 * g, D(all, "incremental_new_customers"), 9);
        Assert.Equal(1500 / (20 * f + 25 * g), D(all, "incremental_cac"), 9);
        Assert.Equal(1500 / (20 * f * 40 + 25 * g * 10), D(all, "incremental_payback_months"), 9);
        Assert.Equal((20 * f * 600 + 25 * g * 150) / 1500, D(all, "incremental_clv_cac"), 9);
        Assert.Equal((25 * f + 30 * g) / 55, D(all, "factor"), 9);
    }

    [Fact]
    public async Task MonthAndTotalGrainsFromToAndCsvAnswerTheSameNumbers()
    {
        var ws = await LoadAsync(factory);
        using var reader = ws.Reader();
        var month = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/kpis?grain=month");
        var january = Row(month, "2026-01-01", "all");
        Assert.Equal(3100, D(january, "spend"));
        Assert.Equal(3100.0 / 85, D(january, "cac"), 9);
        Assert.Equal(3, month.GetProperty("rows").GetArrayLength());

        var total = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/kpis?grain=total&from=2026-01-12");
        var social = Row(total, "2026-01-12", "social");
        Assert.Equal(400, D(social, "spend"));
        Assert.Equal(400.0 / 16, D(social, "cac"), 9);
        Assert.Equal(16 * 150 / 400.0, D(social, "clv_cac"), 9);

        var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/kpis?format=csv&api_key={ws.ReadKey}")).TrimEnd().Split("\r\n");
        Assert.Equal("period,channel,spend,conversions,revenue,new_customers,cac,roas,payback_months,clv_cac,factor,factor_lower_90,factor_upper_90,"
            + "incremental_conversions,incremental_revenue,incremental_new_customers,incremental_cac,incremental_roas,incremental_payback_months,incremental_clv_cac,"
            + "clv,clv_source,typed_clv,fitted_clv,fitted_clv_lower_90,fitted_clv_upper_90", csv[0]);
        Assert.Equal(7, csv.Length);
        Assert.StartsWith("2026-01-05,search,1000.00,25.00,3000.00,20.00,50.00,3.00,1.25,12.00,", csv[1]);
        Assert.StartsWith("2026-01-05,all,1500.00,", csv[3]);

        var bad = await (await reader.GetAsync($"/v1/workspaces/{ws.Id}/kpis?grain=fortnight&from=2026-02-01&to=2026-01-01")).ReadProblemAsync(400);
        Assert.True(bad.GetProperty("errors").TryGetProperty("grain", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("to", out _));
    }
}
