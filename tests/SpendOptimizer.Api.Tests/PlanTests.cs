using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>POST …/plans over real HTTP on a workspace loaded with a synthetic world and its fitted curves.</summary>
[Collection(ApiCollection.Name)]
public sealed class PlanTests(ApiFactory factory)
{
    private static async Task<(TestWorkspace Ws, SyntheticWorld World, HttpClient Client)> LoadedAsync(ApiFactory factory, int seed)
    {
        var world = SyntheticWorld.Generate(seed);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        var client = ws.Ingest();
        var fit = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { });
        Assert.True(fit.IsSuccessStatusCode, await fit.Content.ReadAsStringAsync());
        return (ws, world, client);
    }

    [Fact]
    public async Task APathsTotalsCarryTheirSpreadOverDrawsAndKeepingTodayGainsNothingInAnyDraw()
    {
        var (ws, world, client) = await LoadedAsync(factory, 31);
        using var owned = client;
        var current = world.CurrentPlan;
        async Task<JsonElement> Totals(object request)
        {
            var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans", request);
            var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((int)response.StatusCode == 201, plan.ToString());
            return plan.GetProperty("totals");
        }
        var moved = await Totals(new { horizon_weeks = 4, current, budget_mode = "within", budget_tolerance = 0.01, limit_scope = "none", parameters = new { draws = 40 } });
        Assert.Equal(40, moved.GetProperty("draws").GetInt32());
        double D(JsonElement t, string name) => t.GetProperty(name).GetDouble();
        Assert.True(D(moved, "value_p10") < D(moved, "value_p50") && D(moved, "value_p50") < D(moved, "value_p90"), moved.ToString());
        Assert.True(D(moved, "gain_p10") <= D(moved, "gain_p50") && D(moved, "gain_p50") <= D(moved, "gain_p90"), moved.ToString());
        Assert.InRange(D(moved, "gain_probability_positive"), 0, 1);

        // Every channel locked: the path is today's plan, so in each draw its gain is exactly nothing, though its value is uncertain.
        var kept = await Totals(new { horizon_weeks = 4, current, locks = world.Channels.Select(c => c.Name).ToArray(), limit_scope = "none", parameters = new { draws = 40 } });
        foreach (var name in new[] { "gain_p10", "gain_p50", "gain_p90", "gain_probability_positive" }) Assert.Equal(0, D(kept, name), 9);
        Assert.True(D(kept, "value_p10") < D(kept, "value_p90"), kept.ToString());
    }

    [Fact]
    public async Task AChannelThatMeetsItsLimitAtNoMoveIsHeldWeekByWeekWithItsSummaryOrRefusesThePathWhenAsked()
    {
        var (ws, world, client) = await LoadedAsync(factory, 34);
        using var owned = client;
        // One channel's customers are worth almost nothing: its CLV:CAC is far below 3 at every level, in every week.
        var poor = world.Channels[2].Name;
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/economics",
            TestWorkspace.Csv($"channel,arpa_monthly,gross_margin,monthly_churn\n{poor},0.5,0.75,0.05\n"))).EnsureSuccessStatusCode();
        var current = world.Channels.ToDictionary(c => c.Name, c => c.TypicalWeeklySpend);

        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans",
            new { horizon_weeks = 3, current, budget_mode = "within", budget_tolerance = 0.01 });
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, plan.ToString());
        var held = plan.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == poor);
        foreach (var cell in held.GetProperty("weeks").EnumerateArray())
        {
            Assert.Equal("limit_unreachable", cell.GetProperty("reason").GetString());
            var unreachable = cell.GetProperty("unreachable");
            Assert.Contains("clv_cac", unreachable.GetProperty("limits").EnumerateArray().Select(x => x.GetString()));
            Assert.True(unreachable.GetProperty("clv_cac").GetDouble() < 3, unreachable.ToString());
            Assert.Equal(cell.GetProperty("spend").GetDouble(), unreachable.GetProperty("closest_spend").GetDouble(), 1e-6 * cell.GetProperty("spend").GetDouble());
        }
        Assert.All(plan.GetProperty("channels").EnumerateArray().Where(c => c.GetProperty("channel").GetString() != poor).SelectMany(c => c.GetProperty("weeks").EnumerateArray()),
            cell => Assert.False(cell.TryGetProperty("unreachable", out var u) && u.ValueKind != JsonValueKind.Null, cell.ToString()));
        using var reader = ws.Reader();
        var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/plans/{plan.GetProperty("id").GetString()}?format=csv")).Split("\r\n");
        Assert.EndsWith(",reason,unreachable_limits,spend_where_limits_hold", csv[0]);
        Assert.Contains(csv, row => row.Contains($",{poor},") && row.Contains(",limit_unreachable,") && row.Split(',')[^2].Split(';').Contains("clv_cac"));

        // The report draws each channel's spend path and response path, one point a week, the held weeks marked.
        using var anonymous = factory.ClientWithKey(null);
        var page = await anonymous.GetAsync($"/v1/workspaces/{ws.Id}/plans/{plan.GetProperty("id").GetString()}/report?api_key={ws.ReadKey}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.IsSuccessStatusCode, html);
        Assert.StartsWith("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"<td id=\"gain\">{plan.GetProperty("totals").GetProperty("gain").GetDouble().ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)}</td>", html);
        foreach (var channel in plan.GetProperty("channels").EnumerateArray())
        {
            var name = channel.GetProperty("channel").GetString()!;
            var figure = System.Text.RegularExpressions.Regex.Match(html, $"<figure data-channel=\"{name}\">.*?</figure>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(figure, "<svg").Count);
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(figure, "<polyline").Count);
            Assert.Equal(2 * 3, System.Text.RegularExpressions.Regex.Matches(figure, "<circle").Count);
            Assert.Equal(name == poor ? 2 * 3 : 0, System.Text.RegularExpressions.Regex.Matches(figure, "<circle class=\"held\"").Count);
        }

        var before = await ws.SnapshotAsync("plans");
        var refused = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans",
            new { horizon_weeks = 3, current, budget_mode = "within", budget_tolerance = 0.01, unreachable_limits = "refuse" });
        var problem = await refused.ReadProblemAsync(422);
        Assert.Contains(poor, problem.ToString());
        Assert.Equal(before, await ws.SnapshotAsync("plans"));
    }

    [Fact]
    public async Task APathKeepsTheBandFromEachPreviousWeekTheWeeklyBudgetAndTheLocks()
    {
        var (ws, world, client) = await LoadedAsync(factory, 31);
        using var owned = client;
        var current = world.CurrentPlan;
        // The week right after the loaded data: the carry-over into it is the recursion over the loaded weeks alone.
        var week = world.Performance.Max(p => p.Date).AddDays(7);
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans",
            new { horizon_weeks = 6, week, current, locks = new[] { "podcasts" }, budget_mode = "within", budget_tolerance = 0.01 });
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, plan.ToString());

        Assert.Empty(plan.GetProperty("warnings").EnumerateArray());
        var channels = plan.GetProperty("channels").EnumerateArray().ToList();
        Assert.Equal(world.Channels.Count, channels.Count);
        var budget = current.Values.Sum();
        var weekly = new double[6];
        foreach (var c in channels)
        {
            var name = c.GetProperty("channel").GetString()!;
            var previous = current[name];
            Assert.Equal(previous, c.GetProperty("current_spend").GetDouble(), 6);
            var theta = c.GetProperty("theta").GetDouble();
            var history = world.Performance.Where(p => p.Channel == name).OrderBy(p => p.Date).Select(p => p.Spend).ToList();
            var adstock = history[0] / (1 - theta);
            foreach (var s in history.Skip(1)) adstock = s + theta * adstock;
            Assert.Equal(adstock, c.GetProperty("start_adstock").GetDouble(), 1e-6 * adstock);
            var cells = c.GetProperty("weeks").EnumerateArray().ToList();
            Assert.Equal(6, cells.Count);
            for (var t = 0; t < 6; t++)
            {
                var spend = cells[t].GetProperty("spend").GetDouble();
                Assert.Equal(spend + theta * adstock, cells[t].GetProperty("adstock").GetDouble(), 1e-6 * adstock);
                adstock = cells[t].GetProperty("adstock").GetDouble();
                Assert.Equal(previous, cells[t].GetProperty("previous_spend").GetDouble(), 6);
                var share = Math.Abs(spend / previous - 1);
                Assert.True(share < 1e-6 || share is >= 0.1 - 1e-6 and <= 0.2 + 1e-6, $"{name} week {t}: moved {share:P3} from the week before");
                if (name == "podcasts")
                {
                    Assert.Equal(current[name], spend, 6);
                    Assert.Equal("lock", cells[t].GetProperty("reason").GetString());
                }
                Assert.False(string.IsNullOrEmpty(cells[t].GetProperty("explanation").GetString()));
                var customers = cells[t].GetProperty("customers").GetDouble();
                if (customers > 0) Assert.Equal(spend / customers, cells[t].GetProperty("cac").GetDouble(), 6);
                weekly[t] += spend;
                previous = spend;
            }
            Assert.True(c.GetProperty("carry_over_conversions").GetDouble() >= 0);
        }
        var weeks = plan.GetProperty("weeks").EnumerateArray().ToList();
        for (var t = 0; t < 6; t++)
        {
            Assert.InRange(weekly[t], budget * 0.99 - 1e-3, budget * 1.01 + 1e-3);
            Assert.Equal(weekly[t], weeks[t].GetProperty("spend").GetDouble(), 6);
        }
        var totals = plan.GetProperty("totals");
        Assert.Equal(weekly.Sum(), totals.GetProperty("spend").GetDouble(), 4);
        Assert.Equal(totals.GetProperty("value").GetDouble() - totals.GetProperty("current_value").GetDouble(), totals.GetProperty("gain").GetDouble(), 6);
        Assert.True(totals.GetProperty("gain").GetDouble() >= -1e-6 * Math.Abs(totals.GetProperty("current_value").GetDouble()),
            "keeping today's spend is a path within the rules, so the plan must not be worth less");
        var solver = plan.GetProperty("solver");
        // Within the time limit the MIP proves its path optimal to 1e-4, or says how far it got.
        Assert.Contains(solver.GetProperty("status").GetString(), new[] { "optimal", "feasible" });
        if (solver.GetProperty("status").GetString() == "optimal") Assert.True(solver.GetProperty("relative_gap").GetDouble() <= 1e-4 + 1e-9);
    }

    [Fact]
    public async Task ATotalBudgetIsPacedWithinTheWeeklyMinimumAndMaximum()
    {
        var (ws, world, client) = await LoadedAsync(factory, 32);
        using var owned = client;
        var today = world.CurrentPlan.Values.Sum();
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans", new
        {
            horizon_weeks = 4, current = world.CurrentPlan, total_budget = today * 4 * 1.05, budget_mode = "cap",
            weekly_min = today * 0.95, weekly_max = today * 1.1, limit_scope = "none",
        });
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, plan.ToString());
        var weeks = plan.GetProperty("weeks").EnumerateArray().Select(w => w.GetProperty("spend").GetDouble()).ToList();
        Assert.All(weeks, w => Assert.InRange(w, today * 0.95 - 1e-3, today * 1.1 + 1e-3));
        Assert.True(weeks.Sum() <= today * 4 * 1.05 + 1e-3);
    }

    [Fact]
    public async Task BadInputNamesTheFieldAndAnImpossiblePathIs422()
    {
        var (ws, world, client) = await LoadedAsync(factory, 33);
        using var owned = client;
        var url = $"/v1/workspaces/{ws.Id}/plans";
        async Task<JsonElement> Errors(object body) => (await (await client.PostAsJsonAsync(url, body)).ReadProblemAsync(400)).GetProperty("errors");

        Assert.True((await Errors(new { current = world.CurrentPlan })).TryGetProperty("horizon_weeks", out _));
        Assert.True((await Errors(new { horizon_weeks = 27, current = world.CurrentPlan })).TryGetProperty("horizon_weeks", out _));
        Assert.True((await Errors(new { horizon_weeks = 3, current = world.CurrentPlan, weekly_budgets = new[] { 1.0, 2.0 } })).TryGetProperty("weekly_budgets", out _));
        Assert.True((await Errors(new { horizon_weeks = 2, current = world.CurrentPlan, weekly_budgets = new[] { 1.0, -2.0 } })).TryGetProperty("weekly_budgets[1]", out _));
        Assert.True((await Errors(new { horizon_weeks = 3, current = world.CurrentPlan, weekly_min = 10 })).TryGetProperty("weekly_min", out _));
        Assert.True((await Errors(new { horizon_weeks = 3, current = world.CurrentPlan, budget = 10, total_budget = 30 })).TryGetProperty("budget", out _));
        Assert.True((await Errors(new { horizon_weeks = 3, current = world.CurrentPlan, locks = new[] { "radio" } })).TryGetProperty("channels.radio", out _));

        // A bound no path within the band can reach in the first week.
        var name = world.Channels[0].Name;
        var far = await client.PostAsJsonAsync(url, new
        {
            horizon_weeks = 3, current = world.CurrentPlan, limit_scope = "none",
            bounds = new Dictionary<string, object> { [name] = new { min = world.CurrentPlan[name] * 3 } },
        });
        var problem = await far.ReadProblemAsync(422);
        Assert.Contains(problem.GetProperty("clashes").EnumerateArray(), c => c.GetProperty("subject").GetString() == name && c.GetProperty("limit").GetString() == "hard_bound");
    }
}
