using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using Microsoft.Extensions.DependencyInjection;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>Customer-value fits: the sufficient statistics PostgreSQL aggregates (against hand-worked cases), fits on simulated customers, storage and refusals.</summary>
[Collection(ApiCollection.Name)]
public sealed class CustomerValueTests(ApiFactory factory)
{
    // Calibration ends 2025-03-01; the data's last day is 2025-03-10.
    //   A search:  01-01 100 + 01-01 50 (one day: one transaction of 150), 01-08 40, 01-22 60 → x 2, t_x 21, T 59, m_x 50; holdout 03-10: 1
    //   B search:  02-01 80                                  → x 0, t_x 0, T 28
    //   C social:  01-15 20, 02-15 10 + 02-15T23:00Z 30      → x 1, t_x 31, T 45, m_x 40
    //   D social per …/customers (its order says search): 02-01 70 → x 0, t_x 0, T 28
    //   E: first order on 03-01 (T = 0, left out), 03-05
    //   F (no channel anywhere → unknown): 02-10 10, 03-01 5 (calibration_end is included) → x 1, t_x 19, T 19, m_x 5
    private const string HandOrders = """
        order_id,customer_id,ordered_at,revenue,gross_margin,cost,acquisition_channel
        a1,A,2025-01-01,100,0.5,,search
        a2,A,2025-01-01T20:00:00Z,50,,,
        a3,A,2025-01-08,40,,,
        a4,A,2025-01-22,60,,,
        a5,A,2025-03-10,30,,,
        b1,B,2025-02-01,80,,20,search
        c1,C,2025-01-15,20,,,social
        c2,C,2025-02-15,10,,,
        c3,C,2025-02-15T23:00:00Z,30,,,
        d1,D,2025-02-01,70,,,search
        e1,E,2025-03-01,10,,,
        e2,E,2025-03-05,10,,,
        f1,F,2025-02-10,10,,,
        f2,F,2025-03-01,5,,,
        """;

    private static readonly DateOnly HandEnd = new(2025, 3, 1);

    [Fact]
    public async Task Order_statistics_per_channel_match_the_hand_worked_tuples()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/orders", TestWorkspace.Csv(HandOrders))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/customers", TestWorkspace.Csv("customer_id,acquired_at,acquisition_channel\nD,2025-02-01,social\n"))).EnsureSuccessStatusCode();
        var store = factory.Services.GetRequiredService<CustomerValueStore>();

        var byChannel = await store.RfmAsync(ws.Id, HandEnd, true, CancellationToken.None);
        Assert.Equal(
        [
            new RfmTuple("search", 0, 0, 28, null, 1, 0),
            new RfmTuple("search", 2, 21, 59, 50, 1, 1),
            new RfmTuple("social", 0, 0, 28, null, 1, 0),
            new RfmTuple("social", 1, 31, 45, 40, 1, 0),
            new RfmTuple("unknown", 1, 19, 19, 5, 1, 0),
        ], byChannel);

        var pooled = await store.RfmAsync(ws.Id, HandEnd, false, CancellationToken.None);
        Assert.Equal(
        [
            new RfmTuple(null, 0, 0, 28, null, 2, 0),
            new RfmTuple(null, 1, 19, 19, 5, 1, 0),
            new RfmTuple(null, 1, 31, 45, 40, 1, 0),
            new RfmTuple(null, 2, 21, 59, 50, 1, 1),
        ], pooled);

        // Margin over the orders stating one: a1 100 × 0.5 and b1 80 − 20 = 110 of 180.
        Assert.Equal(110.0 / 180, (await store.MarginAsync(ws.Id, HandEnd, CancellationToken.None))!.Value, 1e-12);
        Assert.Equal(new DateOnly(2025, 3, 10), await store.LastDayAsync(ws.Id, true, CancellationToken.None));
    }

    // Calibration ends 2025-06-15.
    //   s1 search: 01-10 → ended 03-20: lived 2 whole months; observed 5 (to 06-15)
    //   s2 search: 01-20, open: observed 4                      } cohort search 2025-01: n = 4,
    //   s3 search: 01-05 → ended 01-25: lived 0; observed 5     } survivors [3, 2, 2, 1, 1]
    //   s5 search: 02-01 → 03-01, again 04-01 open (a gap is not churn): observed 4   } cohort search 2025-02: n = 4,
    //   s6 search: 02-10 → 07-01, after calibration_end: active; observed 4          } survivors [2, 2, 2, 2, 2], first MRR 10 + 20
    //   s4 social: 06-01: no whole month by 06-15, so its cohort is left out
    private const string HandSubscriptions = """
        [{"customer_id":"s1","started_at":"2025-01-10","ended_at":"2025-03-20","mrr":5,"acquisition_channel":"search"},
         {"customer_id":"s2","started_at":"2025-01-20","ended_at":null,"mrr":6,"acquisition_channel":"search"},
         {"customer_id":"s3","started_at":"2025-01-05","ended_at":"2025-01-25","mrr":7,"acquisition_channel":"search"},
         {"customer_id":"s5","started_at":"2025-02-01","ended_at":"2025-03-01","mrr":10,"acquisition_channel":"search"},
         {"customer_id":"s5","started_at":"2025-04-01","ended_at":null,"mrr":12,"acquisition_channel":"search"},
         {"customer_id":"s6","started_at":"2025-02-10","ended_at":"2025-07-01","mrr":20,"acquisition_channel":"search"},
         {"customer_id":"s4","started_at":"2025-06-01","ended_at":null,"mrr":9,"acquisition_channel":"social"}]
        """;

    [Fact]
    public async Task Subscription_survivors_per_cohort_match_the_hand_worked_counts_and_sbg_fits()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/subscriptions", new StringContent(HandSubscriptions, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var store = factory.Services.GetRequiredService<CustomerValueStore>();
        var cohorts = await store.SurvivorsAsync(ws.Id, new DateOnly(2025, 6, 15), true, CancellationToken.None);
        Assert.Equal(2, cohorts.Count);
        Assert.Equal(("search", new DateOnly(2025, 1, 1)), (cohorts[0].Group, cohorts[0].Cohort));
        Assert.Equal([3.0, 2, 2, 1, 1], cohorts[0].Survivors);
        Assert.Equal(18, cohorts[0].FirstMrr);
        Assert.Equal(("search", new DateOnly(2025, 2, 1)), (cohorts[1].Group, cohorts[1].Cohort));
        Assert.Equal([2.0, 2, 2, 2, 2], cohorts[1].Survivors);
        Assert.Equal(30, cohorts[1].FirstMrr);

        var fit = await FitAsync(ws, new { model = "sbg", calibration_end = "2025-06-15", margin = 0.8 });
        Assert.Equal("sbg", fit.GetProperty("model").GetString());
        Assert.Equal(5, fit.GetProperty("pooled").GetProperty("customers").GetDouble());
        var search = Assert.Single(fit.GetProperty("groups").EnumerateArray());
        Assert.Equal("search", search.GetProperty("group").GetString());
        var parameters = search.GetProperty("models")[0].GetProperty("parameters");
        Assert.True(parameters.GetProperty("alpha").GetProperty("estimate").GetDouble() > 0);
        Assert.True(parameters.GetProperty("beta").GetProperty("estimate").GetDouble() > 0);
        // 5 subscribers, below the pooling threshold: the group leans on the pooled fit.
        Assert.InRange(search.GetProperty("models")[0].GetProperty("pooled_weight").GetDouble(), 0.01, 1);
        // Mean first MRR (18 + 30) / 5 × margin 0.8 is at least the first month's payment.
        Assert.True(search.GetProperty("clv").GetProperty("point").GetDouble() >= 48.0 / 5 * 0.8 - 1e-9);
    }

    [Fact]
    public async Task Sbg_holdout_follows_the_calibration_subscribers_to_the_data_end_as_worked_by_hand()
    {
        // Data end 2025-07-01 (s6's end). Followed there, subscribers acquired by 06-15 only:
        //   search 2025-01 seen 5 whole months: [3, 2, 2, 1, 1, 1]; in calibration n = 4 with 1 alive: predicted 1 · S(5)/S(4)
        //   search 2025-02 seen 4 (s6 has 4 months 21 days, and ended on the data end): [2, 2, 2, 2, 2]; n = 4, 2 alive: predicted 2
        //   social 2025-06 (s4) seen 1: [1, 1]; too young for calibration, so it starts from its 1 subscriber: 1 · S(1) (pooled only)
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/subscriptions", new StringContent(HandSubscriptions, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var store = factory.Services.GetRequiredService<CustomerValueStore>();
        var followed = await store.SurvivorsAsync(ws.Id, new DateOnly(2025, 7, 1), true, CancellationToken.None, acquiredBy: new DateOnly(2025, 6, 15));
        Assert.Equal([[3.0, 2, 2, 1, 1, 1], [2.0, 2, 2, 2, 2], [1.0, 1]], followed.Select(c => c.Survivors.ToArray()));

        var fit = await FitAsync(ws, new { model = "sbg", calibration_end = "2025-06-15", margin = 0.8 });
        static (double Alpha, double Beta) Ab(JsonElement g)
        {
            var p = g.GetProperty("models")[0].GetProperty("parameters");
            return (p.GetProperty("alpha").GetProperty("estimate").GetDouble(), p.GetProperty("beta").GetProperty("estimate").GetDouble());
        }
        var search = Assert.Single(fit.GetProperty("groups").EnumerateArray());
        var (a, b) = Ab(search);
        var holdout = search.GetProperty("holdout");
        Assert.Equal("2025-06-16", holdout.GetProperty("from").GetString());
        Assert.Equal("2025-07-01", holdout.GetProperty("to").GetString());
        Assert.Equal(16 / (365.25 / 12), holdout.GetProperty("length").GetDouble(), 1e-12);
        Assert.Equal(3, holdout.GetProperty("actual").GetDouble());
        Assert.Equal(2 + (b + 4) / (a + b + 4), holdout.GetProperty("predicted").GetDouble(), 1e-9);
        var pooled = fit.GetProperty("pooled");
        var (pa, pb) = Ab(pooled);
        Assert.Equal(4, pooled.GetProperty("holdout").GetProperty("actual").GetDouble());
        Assert.Equal(2 + (pb + 4) / (pa + pb + 4) + pb / (pa + pb), pooled.GetProperty("holdout").GetProperty("predicted").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task Sbg_on_simulated_subscribers_predicts_who_is_still_subscribed_at_the_data_end()
    {
        // 4,000 subscribers started on days of 2024, each with a monthly churn drawn from Beta(0.8, 2.4); each month boundary
        // it stays with 1 − θ. A subscriber that leaves at boundary T ends the day before, so it lived T − 1 whole months.
        var rng = new Random(17);
        var json = new StringBuilder("[");
        var end = new DateOnly(2025, 6, 30);
        for (var i = 0; i < 4000; i++)
        {
            var s0 = new DateOnly(2024, 1, 1).AddDays(rng.Next(366));
            var theta = Beta.Sample(rng, 0.8, 2.4);
            var t = 1;
            while (rng.NextDouble() >= theta && s0.AddMonths(t) <= end) t++;
            var ended = s0.AddMonths(t).AddDays(-1);
            json.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"customer_id\":\"c{i}\",\"started_at\":\"{s0:yyyy-MM-dd}\",")
                .Append(ended < end ? $"\"ended_at\":\"{ended:yyyy-MM-dd}\"" : "\"ended_at\":null")
                .Append(",\"mrr\":20,\"acquisition_channel\":\"search\"}");
        }
        json.Append(",{\"customer_id\":\"last\",\"started_at\":\"2025-06-30\",\"ended_at\":null,\"mrr\":20,\"acquisition_channel\":\"search\"}]");
        var ws = await factory.CreateWorkspaceAsync();
        using (var client = ws.Ingest())
            (await client.PostAsync($"/v1/workspaces/{ws.Id}/subscriptions", new StringContent(json.ToString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var fit = await FitAsync(ws, new { model = "sbg", calibration_end = "2025-03-31", by = "none" });
        var holdout = fit.GetProperty("pooled").GetProperty("holdout");
        var actual = holdout.GetProperty("actual").GetDouble();
        Assert.True(actual > 500, $"{actual} subscribers left at the data end");
        // Each survivor is a draw of its own: 3 binomial sds of the count (at most √actual), widened 2% for the estimated parameters.
        var slack = 3 * Math.Sqrt(actual) + 0.02 * actual;
        Assert.InRange(holdout.GetProperty("predicted").GetDouble(), actual - slack, actual + slack);
    }

    private static readonly (string Channel, double R, double Alpha, double A, double B, double P, double Q, double Gamma)[] Truth =
    [
        ("search", 0.6, 8, 0.8, 3, 6, 4, 15),
        ("social", 0.4, 12, 1.2, 2, 5, 5, 40),
    ];

    /// <summary>
    /// 2,000 customers per channel, each acquired on a day of 2024 and observed to 2025-06-30, purchasing as BG/NBD in weeks
    /// with Gamma–Gamma order values (seeded); calibration ends 2025-03-31. Returns the orders CSV.
    /// </summary>
    internal static string SimulatedOrders(int customersPerChannel)
    {
        var rng = new Random(11);
        var start = new DateOnly(2024, 1, 1);
        var end = new DateOnly(2025, 6, 30);
        // A customer first seen in the holdout ends the data on 06-30 and stays out of the fit.
        var csv = new StringBuilder("customer_id,ordered_at,revenue,acquisition_channel\nlate,2025-06-30,10,search\n");
        foreach (var t in Truth)
            for (var i = 0; i < customersPerChannel; i++)
            {
                var first = start.AddDays(rng.Next(366));
                var weeks = (end.DayNumber - first.DayNumber) / 7.0;
                var lambda = Gamma.Sample(rng, t.R, t.Alpha);
                var dropout = Beta.Sample(rng, t.A, t.B);
                var nu = Gamma.Sample(rng, t.Q, t.Gamma);
                var id = $"{t.Channel}-{i}";
                csv.Append(CultureInfo.InvariantCulture, $"{id},{first:yyyy-MM-dd},{Math.Max(0.01, Gamma.Sample(rng, t.P, nu)):F2},{t.Channel}\n");
                var at = 0.0;
                while (true)
                {
                    at += -Math.Log(1 - rng.NextDouble()) / lambda;
                    if (at > weeks) break;
                    csv.Append(CultureInfo.InvariantCulture, $"{id},{first.AddDays((int)(at * 7)):yyyy-MM-dd},{Math.Max(0.01, Gamma.Sample(rng, t.P, nu)):F2},\n");
                    if (rng.NextDouble() < dropout) break;
                }
            }
        return csv.ToString();
    }

    [Fact]
    public async Task A_fit_on_simulated_customers_recovers_the_truth_predicts_the_holdout_and_is_stored()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using (var ingest = ws.Ingest())
            (await ingest.PostAsync($"/v1/workspaces/{ws.Id}/orders", TestWorkspace.Csv(SimulatedOrders(2000)))).EnsureSuccessStatusCode();

        var fit = await FitAsync(ws, new { model = "bg_nbd", time_unit = "week", calibration_end = "2025-03-31", margin = 0.5 });
        Assert.Equal("2025-06-30", fit.GetProperty("data_end").GetString());
        Assert.Equal("request", fit.GetProperty("margin_source").GetString());
        var groups = fit.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["search", "social"], groups.Select(g => g.GetProperty("group").GetString()));
        foreach (var (t, g) in Truth.Zip(groups))
        {
            var bg = g.GetProperty("models")[0];
            var gg = g.GetProperty("models")[1];
            Assert.Equal("bg_nbd", bg.GetProperty("model").GetString());
            Assert.Equal(0, bg.GetProperty("pooled_weight").GetDouble());
            foreach (var (name, truth) in new[] { ("r", t.R), ("alpha", t.Alpha), ("a", t.A), ("b", t.B) })
                Covers(bg.GetProperty("parameters").GetProperty(name), truth, $"{t.Channel} {name}");
            foreach (var (name, truth) in new[] { ("p", t.P), ("q", t.Q), ("gamma", t.Gamma) })
                Covers(gg.GetProperty("parameters").GetProperty(name), truth, $"{t.Channel} {name}");

            // 13 weeks of holdout (04-01 … 06-30): predicted repeat transactions within 15% of those made (3 Poisson sds at 400).
            var holdout = g.GetProperty("holdout");
            Assert.Equal("2025-04-01", holdout.GetProperty("from").GetString());
            Assert.Equal(91 / 7.0, holdout.GetProperty("length").GetDouble(), 1e-9);
            var actual = holdout.GetProperty("actual").GetDouble();
            Assert.True(actual > 100, $"{t.Channel}: {actual} holdout transactions");
            Assert.InRange(holdout.GetProperty("predicted").GetDouble(), 0.85 * actual, 1.15 * actual);

            // The histogram accounts for every customer, observed and expected, and the model matches the share with none.
            var bins = g.GetProperty("frequency").EnumerateArray().ToList();
            Assert.Equal(8, bins.Count);
            var customers = g.GetProperty("customers").GetDouble();
            Assert.Equal(customers, bins.Sum(b => b.GetProperty("observed").GetDouble()), 1e-9);
            Assert.Equal(customers, bins.Sum(b => b.GetProperty("expected").GetDouble()), 1e-6);
            Assert.InRange(bins[0].GetProperty("expected").GetDouble(), 0.95 * bins[0].GetProperty("observed").GetDouble(), 1.05 * bins[0].GetProperty("observed").GetDouble());

            var clv = g.GetProperty("clv");
            var point = clv.GetProperty("point").GetDouble();
            Assert.True(clv.GetProperty("p5").GetDouble() < point && point < clv.GetProperty("p95").GetDouble(), clv.ToString());
            // At least the acquisition order's margin: half the Gamma–Gamma mean value.
            Assert.True(point > 0.5 * gg.GetProperty("parameters").GetProperty("p").GetProperty("estimate").GetDouble()
                * gg.GetProperty("parameters").GetProperty("gamma").GetProperty("estimate").GetDouble()
                / (gg.GetProperty("parameters").GetProperty("q").GetProperty("estimate").GetDouble() - 1) - 1e-9);
        }

        // Stored: by id, as the newest, listed first; CSV has a row per scope, group, model and parameter.
        var id = fit.GetProperty("id").GetString();
        using var reader = ws.Reader();
        Assert.Equal(fit.GetRawText(), (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/customer-value/{id}")).Trim());
        var latest = JsonDocument.Parse(await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/customer-value/latest")).RootElement;
        Assert.Equal(id, latest.GetProperty("id").GetString());
        var second = await FitAsync(ws, new { by = "none" });
        Assert.Empty(second.GetProperty("groups").EnumerateArray());
        var list = JsonDocument.Parse(await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/customer-value?limit=1")).RootElement;
        Assert.Equal(second.GetProperty("id").GetString(), Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var next = JsonDocument.Parse(await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/customer-value?limit=1&cursor={list.GetProperty("next_cursor").GetString()}")).RootElement;
        Assert.Equal(id, Assert.Single(next.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/customer-value/{id}?format=csv")).TrimEnd().Split('\n');
        Assert.Equal(1 + 3 * 7, csv.Length);
        var header = csv[0].TrimEnd('\r').Split(',');
        var row = csv.Select(l => l.TrimEnd('\r').Split(',')).Single(c => c[Array.IndexOf(header, "group")] == "social" && c[Array.IndexOf(header, "parameter")] == "alpha");
        Assert.Equal("bg_nbd", row[Array.IndexOf(header, "model")]);
        var social = groups[1].GetProperty("models")[0].GetProperty("parameters").GetProperty("alpha").GetProperty("estimate").GetDouble();
        Assert.Equal(social, double.Parse(row[Array.IndexOf(header, "estimate")], CultureInfo.InvariantCulture), social * 1e-9);
    }

    /// <summary>The truth lies within 3 standard errors on the log scale, where the 90% interval spans ±1.645 of them.</summary>
    private static void Covers(JsonElement parameter, double truth, string what)
    {
        var estimate = parameter.GetProperty("estimate").GetDouble();
        var sd = (Math.Log(parameter.GetProperty("upper_90").GetDouble()) - Math.Log(estimate)) / 1.645;
        Assert.True(Math.Abs(Math.Log(truth) - Math.Log(estimate)) < 3 * sd, $"{what}: truth {truth}, estimate {estimate}, log-sd {sd}");
    }

    [Fact]
    public async Task Bad_parameters_are_refused_by_name_and_a_workspace_without_orders_is_422_and_nothing_is_stored()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var bad = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/customer-value/fit",
            new { model = "pareto", time_unit = "fortnight", by = "segment", horizon_months = 0, annual_discount_rate = 2, margin = 0 });
        var errors = (await bad.ReadProblemAsync(400)).GetProperty("errors");
        foreach (var name in new[] { "model", "time_unit", "by", "horizon_months", "annual_discount_rate", "margin" })
            Assert.True(errors.TryGetProperty(name, out _), $"{name} missing in {errors}");

        var sbgInWeeks = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/customer-value/fit", new { model = "sbg", time_unit = "week" });
        Assert.True((await sbgInWeeks.ReadProblemAsync(400)).GetProperty("errors").TryGetProperty("time_unit", out _));

        var none = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/customer-value/fit", new { model = "bg_nbd" });
        Assert.Contains("no orders", (await none.ReadProblemAsync(422)).GetProperty("detail").GetString());

        (await client.PostAsync($"/v1/workspaces/{ws.Id}/orders", TestWorkspace.Csv(HandOrders))).EnsureSuccessStatusCode();
        var early = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/customer-value/fit", new { calibration_end = "2024-12-31" });
        Assert.Contains("calibration_end", (await early.ReadProblemAsync(422)).GetProperty("detail").GetString());

        Assert.Empty(await ws.SnapshotAsync("customer_value_fits"));
        using var reader = ws.Reader();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/v1/workspaces/{ws.Id}/customer-value/latest")).StatusCode);
    }

    private static async Task<JsonElement> FitAsync(TestWorkspace ws, object body)
    {
        using var client = ws.Ingest();
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/customer-value/fit", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var fit = JsonDocument.Parse(text).RootElement;
        Assert.Equal($"/v1/workspaces/{ws.Id}/customer-value/{fit.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return fit;
    }
}
