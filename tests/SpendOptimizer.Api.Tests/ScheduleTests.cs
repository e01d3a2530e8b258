using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Scheduling;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// The weekly schedule. Runs are driven here by calling the runner with a chosen "now", as the background loop does
/// with the clock; each test deletes its schedule so no other test's run picks it up.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ScheduleTests(ApiFactory factory)
{
    private const string MondaySix = "0 6 * * 1";

    private static async Task<DateTimeOffset> PutAsync(TestWorkspace ws, string cron = MondaySix, string zone = "Europe/Berlin")
    {
        using var admin = ws.Admin();
        var put = await admin.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/schedule", new { cron, time_zone = zone });
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(put.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("next_run_at").GetDateTimeOffset();
    }

    private static async Task<int> CountAsync(string table, string ws)
    {
        await using var conn = await ApiFactory.OpenDbAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"select count(*) from {table} where workspace_id = @ws", conn);
        cmd.Parameters.AddWithValue("ws", ws);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task ScheduleIsValidatedAndShowsItsNextRunInTheWorkspacesTimeZone()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var admin = ws.Admin();
        var bad = await admin.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/schedule",
            new { cron = "every monday", time_zone = "Mars/Olympus", request = new { parameters = new { band_max = "x" } } });
        var errors = (await bad.ReadProblemAsync(400)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("cron", out _));
        Assert.True(errors.TryGetProperty("time_zone", out _));
        Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith("request.", StringComparison.Ordinal));
        await (await ws.Reader().GetAsync($"/v1/workspaces/{ws.Id}/schedule")).ReadProblemAsync(404);

        var before = DateTimeOffset.UtcNow;
        var next = await PutAsync(ws);
        try
        {
            Assert.InRange(next, before, before.AddDays(7));
            var got = await ws.Reader().GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/schedule");
            var local = DateTimeOffset.Parse(got.GetProperty("next_run_local").GetString()!);
            Assert.Equal(next, local);
            var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            Assert.Equal(berlin.GetUtcOffset(next), local.Offset);
            Assert.Equal((DayOfWeek.Monday, 6, 0), (local.DayOfWeek, local.Hour, local.Minute));
            Assert.Equal(JsonValueKind.Null, got.GetProperty("last_run").ValueKind);
            await (await ws.Reader().PutAsJsonAsync($"/v1/workspaces/{ws.Id}/schedule", new { cron = MondaySix })).ReadProblemAsync(403);
        }
        finally
        {
            Assert.Equal(204, (int)(await admin.DeleteAsync($"/v1/workspaces/{ws.Id}/schedule")).StatusCode);
        }
        await (await admin.DeleteAsync($"/v1/workspaces/{ws.Id}/schedule")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task TwoInstancesRunADueScheduleExactlyOnceAndTheRecommendationIsStored()
    {
        var world = SyntheticWorld.Generate(seed: 33, weeks: 80);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        var due = await PutAsync(ws);
        await using var second = new ApiFactory();
        try
        {
            var now = due.AddMinutes(1);
            var first = factory.Services.GetRequiredService<ScheduleRunner>();
            var other = second.Services.GetRequiredService<ScheduleRunner>();
            Assert.NotSame(first, other);
            var results = await Task.WhenAll(first.RunDueAsync(now, default), other.RunDueAsync(now, default));
            var ours = results.SelectMany(r => r).Where(r => r.Workspace == ws.Id).ToList();
            Assert.Single(ours);
            Assert.True(ours[0].Run.Status == ScheduleRunStatus.Succeeded, ours[0].Run.Detail);
            Assert.DoesNotContain(await first.RunDueAsync(now, default), r => r.Workspace == ws.Id);
            Assert.Equal(1, await CountAsync("recommendations", ws.Id));
            Assert.Equal(1, await CountAsync("schedule_runs", ws.Id));

            using var reader = ws.Reader();
            var schedule = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/schedule");
            var last = schedule.GetProperty("last_run");
            Assert.Equal("succeeded", last.GetProperty("status").GetString());
            Assert.Equal(due, last.GetProperty("due_at").GetDateTimeOffset());
            Assert.Equal(0, last.GetProperty("missed").GetInt32());
            var latest = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/recommendations/latest");
            Assert.Equal(latest.GetProperty("id").GetString(), last.GetProperty("recommendation_id").GetString());
            var nextLocal = DateTimeOffset.Parse(schedule.GetProperty("next_run_local").GetString()!);
            var dueLocal = TimeZoneInfo.ConvertTime(due, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
            Assert.Equal(dueLocal.DateTime.AddDays(7), nextLocal.DateTime);

            var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/schedule/runs?format=csv")).TrimEnd().Split("\r\n");
            Assert.Equal("due_at,started_at,finished_at,status,recommendation_id,missed,detail", csv[0]);
            Assert.Equal(2, csv.Length);
        }
        finally
        {
            await ws.Admin().DeleteAsync($"/v1/workspaces/{ws.Id}/schedule");
        }
    }

    [Fact]
    public async Task ARunCutOffMidwayStaysOwedAndMissedWeeksAreCaughtUpByOneRun()
    {
        var ws = await factory.CreateWorkspaceAsync();
        var due = await PutAsync(ws);
        var runner = factory.Services.GetRequiredService<ScheduleRunner>();
        try
        {
            // Another instance is mid-run: it holds the schedule on its own connection (unpooled, so closing it ends the session).
            var busy = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(ApiFactory.ConnectionString) { Pooling = false }.ConnectionString);
            await busy.OpenAsync();
            Assert.True(await ScheduleStore.TryHoldAsync(busy, ws.Id, default));
            var threeWeeksLate = due.AddDays(21).AddHours(1);
            Assert.DoesNotContain(await runner.RunDueAsync(threeWeeksLate, default), r => r.Workspace == ws.Id);
            // It dies before storing its run: its connection and lock go with it and the run is still owed.
            await busy.DisposeAsync();

            // The server ends the closed session, and lets go of its lock, a moment later: poll for it.
            var runs = new List<(string Workspace, ScheduleRun Run)>();
            for (var deadline = DateTime.UtcNow.AddSeconds(60); runs.Count == 0 && DateTime.UtcNow < deadline;)
            {
                runs = (await runner.RunDueAsync(threeWeeksLate, default)).Where(r => r.Workspace == ws.Id).ToList();
                if (runs.Count == 0) await Task.Delay(100);
            }
            var run = Assert.Single(runs).Run;
            Assert.Equal(due.AddDays(21), run.DueAt);
            Assert.Equal(3, run.Missed);
            // The workspace has no data, so the run fails with a reason and is not retried every poll.
            Assert.Equal(ScheduleRunStatus.Failed, run.Status);
            Assert.Contains("performance", run.Detail);
            Assert.DoesNotContain(await runner.RunDueAsync(threeWeeksLate, default), r => r.Workspace == ws.Id);
            var schedule = await ws.Reader().GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/schedule");
            Assert.Equal(due.AddDays(28), schedule.GetProperty("next_run_at").GetDateTimeOffset());
            Assert.Equal(0, await CountAsync("recommendations", ws.Id));
        }
        finally
        {
            await ws.Admin().DeleteAsync($"/v1/workspaces/{ws.Id}/schedule");
        }
    }

    [Fact]
    public async Task AWorkspaceTooLargeToPlanGetsAFailedRunWithTheReason()
    {
        var ws = await factory.CreateWorkspaceAsync();
        var csv = new System.Text.StringBuilder("date,channel,spend,conversions,new_customers\n");
        for (var c = 0; c < 2001; c++) csv.Append("2026-01-05,ch").Append(c).Append(",100,2,1\n");
        var put = await ws.Ingest().PutAsync($"/v1/workspaces/{ws.Id}/performance?grain=week", TestWorkspace.Csv(csv.ToString()));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var due = await PutAsync(ws);
        try
        {
            var runs = (await factory.Services.GetRequiredService<ScheduleRunner>().RunDueAsync(due.AddMinutes(1), default))
                .Where(r => r.Workspace == ws.Id).ToList();
            var run = Assert.Single(runs).Run;
            Assert.Equal(ScheduleRunStatus.Failed, run.Status);
            Assert.Contains("2,001 channels", run.Detail);
        }
        finally
        {
            await ws.Admin().DeleteAsync($"/v1/workspaces/{ws.Id}/schedule");
        }
    }
}

/// <summary>A schedule is refused when it would run more than once a day, or when its request would be refused when it is sent.</summary>
[Collection(ApiCollection.Name)]
public sealed class ScheduleValidationTests(ApiFactory factory)
{
    private static async Task AssertRefusedNamingAsync(TestWorkspace ws, object body, string field)
    {
        using var admin = ws.Admin();
        var response = await admin.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/schedule", body);
        var problem = await response.ReadProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)}: {problem}");
        await (await ws.Reader().GetAsync($"/v1/workspaces/{ws.Id}/schedule")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task CronsThatFireMoreThanOnceADayAreRefusedNamingCron()
    {
        var ws = await factory.CreateWorkspaceAsync();
        foreach (var cron in new[] { "* * * * *", "@every_second", "@every_minute", "0 * * * *", "*/30 6 * * 1", "0 6,18 * * *", "0 6,7 15 * *", "@hourly" })
            await AssertRefusedNamingAsync(ws, new { cron, time_zone = "Europe/Berlin" }, "cron");

        using var admin = ws.Admin();
        try
        {
            foreach (var cron in new[] { "0 6 * * *", "0 6 * * 1", "@daily", "30 2 * * *" })
            {
                var ok = await admin.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/schedule", new { cron, time_zone = "Europe/Berlin" });
                Assert.True(ok.IsSuccessStatusCode, $"{cron}: {await ok.Content.ReadAsStringAsync()}");
            }
        }
        finally
        {
            await admin.DeleteAsync($"/v1/workspaces/{ws.Id}/schedule");
        }
    }

    [Fact]
    public async Task AStoredRequestIsRefusedWhereARecommendationRequestWouldBe()
    {
        var ws = await factory.CreateWorkspaceAsync();
        const string cron = "0 6 * * 1";
        await AssertRefusedNamingAsync(ws, new { cron, request = new { budget = -5 } }, "request.budget");
        await AssertRefusedNamingAsync(ws, new { cron, request = new { budget_tolerance = 2 } }, "request.budget_tolerance");
        await AssertRefusedNamingAsync(ws, new { cron, request = new { parameters = new { band_min = 0.3, band_max = 0.2 } } }, "request.parameters.band_min");
        await AssertRefusedNamingAsync(ws, new { cron, request = new { parameters = new { band_maxx = 0.2 } } }, "request.parameters.band_maxx");
        await AssertRefusedNamingAsync(ws, new { cron, request = new { bounds = new Dictionary<string, object> { ["search"] = new { min = 10, max = 5 } } } }, "request.bounds.search");

        // Before any curves, a channel name cannot be judged; once they exist, an unknown one is refused like POST …/recommendations refuses it.
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 21));
        using var ingest = ws.Ingest();
        var fit = await ingest.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { });
        Assert.True(fit.IsSuccessStatusCode, await fit.Content.ReadAsStringAsync());
        var unknown = new { locks = new[] { "carrier-pigeons" } };
        var direct = await ingest.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", unknown);
        Assert.True((await direct.ReadProblemAsync(400)).GetProperty("errors").TryGetProperty("channels.carrier-pigeons", out _));
        await AssertRefusedNamingAsync(ws, new { cron, request = unknown }, "request.channels.carrier-pigeons");

        using var admin = ws.Admin();
        try
        {
            var ok = await admin.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/schedule", new { cron, request = new { locks = new[] { "podcasts" }, budget = 1000 } });
            Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());
        }
        finally
        {
            await admin.DeleteAsync($"/v1/workspaces/{ws.Id}/schedule");
        }
    }
}
