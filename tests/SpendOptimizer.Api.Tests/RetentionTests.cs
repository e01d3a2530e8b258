using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>Retention figures against cases worked out by hand (in the comments), from orders and from subscriptions.</summary>
[Collection(ApiCollection.Name)]
public sealed class RetentionTests(ApiFactory factory)
{
    private const double Tolerance = 1e-9;

    // Orders; the data's last day is 2026-02-15 (F's last order).
    //   A search:  2025-01-10 100 (gm .5), 2025-01-15 50 (gm .5), 2026-01-12 200 (cost 50)
    //   B search:  2025-01-20 80, 2025-02-25 40
    //   C social:  acquired 2025-01-05 per …/customers; orders 2025-01-05 60, 2025-01-12 30 (day 7: inside (d0, d0 + 7]), 2026-01-20 20
    //   D social:  2025-01-08 50, its order naming the channel
    //   E (no channel anywhere → unknown): 2025-12-20 70, 2026-01-10 30
    //   F: orders say display, a later customers upload says search, acquired 2025-12-28: 2025-12-28 40, 2026-02-15 10
    private const string Orders = """
        order_id,customer_id,ordered_at,revenue,gross_margin,cost,acquisition_channel
        a1,A,2025-01-10,100,0.5,,search
        a2,A,2025-01-15T18:00:00Z,50,0.5,,
        a3,A,2026-01-12,200,,50,
        b1,B,2025-01-20,80,,,search
        b2,B,2025-02-25,40,,,
        c1,C,2025-01-05,60,,,
        c2,C,2025-01-12,30,,,
        c3,C,2026-01-20,20,,,
        d1,D,2025-01-08,50,,,social
        e1,E,2025-12-20,70,,,
        e2,E,2026-01-10,30,,,
        f1,F,2025-12-28,40,,,display
        f2,F,2026-02-15T23:00:00Z,10,,,
        """;

    private const string Customers = """
        customer_id,acquired_at,acquisition_channel
        C,2025-01-05,social
        F,2025-12-28,search
        """;

    private async Task<TestWorkspace> OrdersWorkspaceAsync()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/orders", TestWorkspace.Csv(Orders))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/customers", TestWorkspace.Csv(Customers))).EnsureSuccessStatusCode();
        return ws;
    }

    private static async Task<JsonElement> GetAsync(TestWorkspace ws, string query)
    {
        using var client = ws.Reader();
        var response = await client.GetAsync($"/v1/workspaces/{ws.Id}/{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static JsonElement Row(JsonElement report, string? channel, string cohort) =>
        Assert.Single(report.GetProperty("cohorts").EnumerateArray(),
            r => r.GetProperty("cohort").GetString() == cohort && r.GetProperty("channel").GetString() == channel);

    private static void Share(JsonElement row, string name, long eligible, long retained, double? share)
    {
        var s = row.GetProperty(name);
        Assert.Equal(eligible, s.GetProperty("eligible").GetInt64());
        Assert.Equal(retained, s.GetProperty("retained").GetInt64());
        Near(share, s.GetProperty("share"));
    }

    private static void Near(double? expected, JsonElement actual)
    {
        if (expected is null) Assert.Equal(JsonValueKind.Null, actual.ValueKind);
        else Assert.Equal(expected.Value, actual.GetDouble(), Tolerance);
    }

    [Fact]
    public async Task OrdersRetentionPerChannelAndMonthMatchesTheHandWorkedFigures()
    {
        var ws = await OrdersWorkspaceAsync();
        var report = await GetAsync(ws, "retention?by=acquisition_channel&cohort=month");
        Assert.Equal("orders", report.GetProperty("source").GetString());
        Assert.Equal("2026-02-15", report.GetProperty("last_date").GetString());
        Assert.Equal(4, report.GetProperty("cohorts").GetArrayLength());

        // search 2025-01 (A, B). 7 days: A (01-15 ≤ 01-17) yes, B no. 30 days: B's next order 02-25 > 02-19, no.
        // 90 days: both. 12 months: both windows end by 2026-02-15. Revenue 470 over 5 orders: ARPA 235, AOV 94.
        // Margin 50 + 25 + 150 = 225 over the 350 of A's orders (B's carry none): 0.642857…
        // NRR: only A's month 12 (to 2026-02-10) has ended; month 0 [01-10, 02-10) 150, month 12 [2026-01-10, 2026-02-10) 200.
        var search = Row(report, "search", "2025-01-01");
        Assert.Equal(2, search.GetProperty("customers").GetInt64());
        Share(search, "active7d", 2, 1, 0.5);
        Share(search, "active30d", 2, 1, 0.5);
        Share(search, "active90d", 2, 2, 1);
        Share(search, "active12m", 2, 2, 1);
        Near(0.5, search.GetProperty("monthly_churn"));
        Assert.Equal(5, search.GetProperty("orders").GetInt64());
        Near(470, search.GetProperty("revenue"));
        Near(235, search.GetProperty("arpa"));
        Near(94, search.GetProperty("aov"));
        Near(225.0 / 350, search.GetProperty("gross_margin"));
        Assert.Equal(1, search.GetProperty("nrr_eligible").GetInt64());
        Near(150, search.GetProperty("nrr_base"));
        Near(200, search.GetProperty("nrr_month12"));
        Near(50, search.GetProperty("expansion"));
        Near(0, search.GetProperty("contraction"));
        Near(0, search.GetProperty("churned"));
        Near(200.0 / 150, search.GetProperty("nrr12"));

        // social 2025-01 (C, D): C retained at every window (01-12), D never. No margins. NRR: both months 12 ended;
        // C 90 → 20 (contraction −70), D 50 → 0 (churn −50): 20 / 140.
        var social = Row(report, "social", "2025-01-01");
        Share(social, "active7d", 2, 1, 0.5);
        Share(social, "active90d", 2, 1, 0.5);
        Share(social, "active12m", 2, 1, 0.5);
        Near(80, social.GetProperty("arpa"));
        Near(40, social.GetProperty("aov"));
        Near(null, social.GetProperty("gross_margin"));
        Assert.Equal(2, social.GetProperty("nrr_eligible").GetInt64());
        Near(140, social.GetProperty("nrr_base"));
        Near(0, social.GetProperty("expansion"));
        Near(-70, social.GetProperty("contraction"));
        Near(-50, social.GetProperty("churned"));
        Near(20.0 / 140, social.GetProperty("nrr12"));

        // search 2025-12 is F alone, moved there by the customers upload. 7 and 30 days have elapsed (01-04, 01-27) without
        // an order; 90 days (03-28) has not, so that share has no denominator.
        var late = Row(report, "search", "2025-12-01");
        Assert.Equal(1, late.GetProperty("customers").GetInt64());
        Share(late, "active7d", 1, 0, 0);
        Share(late, "active30d", 1, 0, 0);
        Share(late, "active90d", 0, 0, null);
        Share(late, "active12m", 0, 0, null);
        Near(1, late.GetProperty("monthly_churn"));
        Near(25, late.GetProperty("aov"));
        Assert.Equal(0, late.GetProperty("nrr_eligible").GetInt64());
        Near(null, late.GetProperty("nrr12"));

        // E names no channel anywhere: unknown. Its 01-10 order falls within 30 days of 12-20.
        var unknown = Row(report, "unknown", "2025-12-01");
        Share(unknown, "active7d", 1, 0, 0);
        Share(unknown, "active30d", 1, 1, 1);
        Assert.DoesNotContain(report.GetProperty("cohorts").EnumerateArray(), r => r.GetProperty("channel").GetString() == "display");
    }

    [Fact]
    public async Task WithoutChannelsCohortsPoolEveryCustomerAndQuartersGroupTheMonths()
    {
        var ws = await OrdersWorkspaceAsync();
        // 2025-01: A, B, C, D: 7 days A, C; 90 days A, B, C; NRR A, C, D: 290 → 220 (+50, −70, −50).
        var report = await GetAsync(ws, "retention?by=none");
        var january = Row(report, null, "2025-01-01");
        Assert.Equal(4, january.GetProperty("customers").GetInt64());
        Share(january, "active7d", 4, 2, 0.5);
        Share(january, "active90d", 4, 3, 0.75);
        Near(290, january.GetProperty("nrr_base"));
        Near(220, january.GetProperty("nrr_month12"));
        Near(50, january.GetProperty("expansion"));
        Near(-70, january.GetProperty("contraction"));
        Near(-50, january.GetProperty("churned"));
        Near(220.0 / 290, january.GetProperty("nrr12"));
        var december = Row(report, null, "2025-12-01");
        Share(december, "active30d", 2, 1, 0.5);

        var quarters = await GetAsync(ws, "retention?by=none&cohort=quarter");
        Assert.Equal(["2025-01-01", "2025-10-01"], quarters.GetProperty("cohorts").EnumerateArray().Select(r => r.GetProperty("cohort").GetString()));
        Assert.Equal([4L, 2L], quarters.GetProperty("cohorts").EnumerateArray().Select(r => r.GetProperty("customers").GetInt64()));

        // ISO weeks start on Monday: A (Friday 2025-01-10) is in the week of 2025-01-06, with D (Wednesday 01-08).
        var weeks = await GetAsync(ws, "retention?by=none&cohort=week");
        Assert.Equal(2, Row(weeks, null, "2025-01-06").GetProperty("customers").GetInt64());
    }

    [Fact]
    public async Task OrdersTriangleCountsAMonthOnlyOnceItHasEnded()
    {
        var ws = await OrdersWorkspaceAsync();
        var triangle = await GetAsync(ws, "retention/triangle?by=none&months=13");
        // 2025-01: month 0 all four ordered; month 1 only B (02-25 in [02-20, 03-20)); month 12 has ended for A, C and D
        // (B's ends 2026-02-20), A and C ordered in it; month 13 has ended for nobody.
        var january = Assert.Single(triangle.GetProperty("cohorts").EnumerateArray(), r => r.GetProperty("cohort").GetString() == "2025-01-01");
        var active = january.GetProperty("active").EnumerateArray().ToList();
        Assert.Equal(14, active.Count);
        Near(1, active[0]);
        Near(0.25, active[1]);
        Near(2.0 / 3, active[12]);
        Near(null, active[13]);
        // 2025-12: month 0 ended for both (01-20, 01-28), month 1 for neither.
        var december = Assert.Single(triangle.GetProperty("cohorts").EnumerateArray(), r => r.GetProperty("cohort").GetString() == "2025-12-01");
        Near(1, december.GetProperty("active")[0]);
        Near(null, december.GetProperty("active")[1]);

        using var client = ws.Reader();
        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/retention/triangle?by=none&months=2&format=csv")).Split("\r\n");
        Assert.Equal("cohort,channel,customers,m0,m1,m2", csv[0]);
        Assert.StartsWith("2025-01-01,,4,1", csv[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionCsvHasOneRowPerChannelAndCohortWithItsDenominators()
    {
        var ws = await OrdersWorkspaceAsync();
        using var client = ws.Reader();
        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/retention?format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = csv[0].Split(',');
        Assert.Equal(["cohort", "channel", "customers", "active_7d", "active_7d_eligible", "active_7d_retained"], header[..6]);
        Assert.Contains("nrr_12m", header);
        Assert.Equal(5, csv.Length);
        var search = csv.Single(l => l.StartsWith("2025-01-01,search,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("2", search[Array.IndexOf(header, "active_7d_eligible")]);
        Assert.Equal("1", search[Array.IndexOf(header, "active_7d_retained")]);
    }

    // Subscriptions; the data's last day is 2026-01-31 (S5's start).
    //   S1 search 2025-01-01 100, open; a second one 2025-06-01 50, open (expansion)
    //   S2 search 2025-01-10 100, ended 2025-01-20
    //   S3 social 2025-01-15 200, ended 2025-05-01
    //   S4 social 2025-02-01 80, ended 2025-03-01, then 2025-03-01 40, open (contraction, but month 12 is after the last day)
    //   S5 search 2026-01-31 10, open
    private const string Subscriptions = """
        customer_id,started_at,ended_at,mrr,acquisition_channel
        S1,2025-01-01,,100,search
        S1,2025-06-01,,50,search
        S2,2025-01-10,2025-01-20,100,search
        S3,2025-01-15,2025-05-01,200,social
        S4,2025-02-01,2025-03-01,80,social
        S4,2025-03-01,,40,social
        S5,2026-01-31,,10,search
        """;

    [Fact]
    public async Task SubscriptionRetentionIsTheDefaultWithoutOrdersAndMatchesTheHandWorkedFigures()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using (var client = ws.Ingest())
            (await client.PostAsync($"/v1/workspaces/{ws.Id}/subscriptions", TestWorkspace.Csv(Subscriptions))).EnsureSuccessStatusCode();
        var report = await GetAsync(ws, "retention");
        Assert.Equal("subscriptions", report.GetProperty("source").GetString());
        Assert.Equal("2026-01-31", report.GetProperty("last_date").GetString());

        // search 2025-01 (S1, S2): 7 days both subscribed (S2 until 01-20 > 01-17); 30, 90 days and 12 months only S1.
        // ARPA: MRR on the acquisition day, (100 + 100) / 2. NRR: 200 → 150 (S1 +50, S2 −100).
        var search = Row(report, "search", "2025-01-01");
        Share(search, "active7d", 2, 2, 1);
        Share(search, "active30d", 2, 1, 0.5);
        Share(search, "active12m", 2, 1, 0.5);
        Near(0.5, search.GetProperty("monthly_churn"));
        Near(100, search.GetProperty("arpa"));
        Near(null, search.GetProperty("aov"));
        Near(200, search.GetProperty("nrr_base"));
        Near(150, search.GetProperty("nrr_month12"));
        Near(50, search.GetProperty("expansion"));
        Near(-100, search.GetProperty("churned"));
        Near(0.75, search.GetProperty("nrr12"));

        // social 2025-01 (S3): subscribed on 01-22, 02-14 and 04-15, not on 2026-01-15; NRR 200 → 0.
        var social = Row(report, "social", "2025-01-01");
        Share(social, "active90d", 1, 1, 1);
        Share(social, "active12m", 1, 0, 0);
        Near(-200, social.GetProperty("churned"));
        Near(0, social.GetProperty("nrr12"));

        // social 2025-02 (S4): on 03-03 the second subscription runs; its month 12 (2026-02-01) is after the last day.
        var february = Row(report, "social", "2025-02-01");
        Share(february, "active30d", 1, 1, 1);
        Share(february, "active12m", 0, 0, null);
        Assert.Equal(0, february.GetProperty("nrr_eligible").GetInt64());

        // search 2026-01 (S5): no window has elapsed.
        Share(Row(report, "search", "2026-01-01"), "active7d", 0, 0, null);

        // Triangle, cohorts pooled: 2025-01 (S1, S2, S3) subscribed on d0 + 1 month: S1, S3; + 4 months: S1; + 12: S1;
        // + 13 months (from 2026-02-01) is after the last day for all.
        var triangle = await GetAsync(ws, "retention/triangle?by=none&months=13");
        var january = Assert.Single(triangle.GetProperty("cohorts").EnumerateArray(), r => r.GetProperty("cohort").GetString() == "2025-01-01");
        var active = january.GetProperty("active");
        Near(1, active[0]);
        Near(2.0 / 3, active[1]);
        Near(1.0 / 3, active[4]);
        Near(1.0 / 3, active[12]);
        Near(null, active[13]);

        // Orders asked for explicitly: there are none, so there are no cohorts.
        Assert.Equal(0, (await GetAsync(ws, "retention?source=orders")).GetProperty("cohorts").GetArrayLength());
    }

    [Theory]
    [InlineData("retention?by=&cohort=&source=")]
    [InlineData("retention/triangle?by=&cohort=&source=&months=")]
    public async Task BlankParametersTakeTheirDefaults(string query)
    {
        var ws = await OrdersWorkspaceAsync();
        var report = await GetAsync(ws, query);
        Assert.Equal("orders", report.GetProperty("source").GetString());
        Assert.Equal("acquisition_channel", report.GetProperty("by").GetString());
        Assert.Equal("month", report.GetProperty("cohort").GetString());
        Assert.Equal(4, report.GetProperty("cohorts").GetArrayLength());
    }

    [Theory]
    [InlineData("retention?by=campaign", "by")]
    [InlineData("retention?cohort=day", "cohort")]
    [InlineData("retention?source=visits", "source")]
    [InlineData("retention/triangle?months=61", "months")]
    public async Task ABadParameterIsAProblemNamingIt(string query, string parameter)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Reader();
        var problem = await (await client.GetAsync($"/v1/workspaces/{ws.Id}/{query}")).ReadProblemAsync(400);
        Assert.Contains(parameter, problem.ToString(), StringComparison.Ordinal);
    }
}
