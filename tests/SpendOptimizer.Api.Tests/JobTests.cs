using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Work sent with Prefer: respond-async, run by hosts of their own: only these hosts run jobs (the shared ones have no
/// job workers), and the tests of one class run one after another, so a job left queued stays queued.
/// </summary>
public sealed class JobTests : IAsyncLifetime
{
    /// <summary>A host that accepts jobs and runs none.</summary>
    private readonly ApiFactory _idle = new();

    private static ApiFactory Worker() => new()
    {
        Configure = b => b.UseSetting("SpendOptimizer:JobWorkers", "1").UseSetting("SpendOptimizer:JobPollSeconds", "0.2")
            .UseSetting("SpendOptimizer:JobLeaseSeconds", "5"),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _idle.DisposeAsync();

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private static async Task<HttpResponseMessage> SendAsJobAsync(HttpClient client, string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Prefer", "respond-async");
        return await client.SendAsync(request);
    }

    /// <summary>Sends a job, checks the 202, and polls it (with a deadline, not a fixed wait) until it has ended.</summary>
    private static async Task<JsonElement> RunAsJobAsync(TestWorkspace ws, string route, object body)
    {
        using var client = ws.Ingest();
        var accepted = await SendAsJobAsync(client, $"/v1/workspaces/{ws.Id}/{route}", body);
        var job = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)accepted.StatusCode == 202, job.ToString());
        Assert.Equal("respond-async", accepted.Headers.GetValues("Preference-Applied").Single());
        Assert.Equal($"/v1/workspaces/{ws.Id}/jobs/{job.GetProperty("id").GetString()}", accepted.Headers.Location!.OriginalString);
        Assert.Contains(job.GetProperty("state").GetString(), new[] { "queued", "running", "succeeded" });
        return await EndedAsync(ws, accepted.Headers.Location.OriginalString);
    }

    private static async Task<JsonElement> EndedAsync(TestWorkspace ws, string location)
    {
        using var reader = ws.Reader();
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var job = await reader.GetFromJsonAsync<JsonElement>(location);
            if (job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled") return job;
            Assert.True(DateTime.UtcNow < until, $"job still {job.GetProperty("state")} after {Deadline}: {job}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_attribution_run_sent_as_a_job_stores_the_run_a_direct_request_stores_and_says_where_it_is()
    {
        await using var host = Worker();
        var ws = await host.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        const string paths = "path,total_conversions,total_conversion_value,total_null\na > b,1,100,1\na > c,1,50,0\nb,0,0,1\n";
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(paths))).EnsureSuccessStatusCode();
        var direct = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov" })).Content.ReadFromJsonAsync<JsonElement>();

        var job = await RunAsJobAsync(ws, "attribution-runs", new { model = "markov" });
        Assert.Equal("succeeded", job.GetProperty("state").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal("CreateAttributionRun", job.GetProperty("kind").GetString());
        var progress = job.GetProperty("progress");
        Assert.Equal("running markov over 3 paths", progress.GetProperty("stage").GetString());
        Assert.Equal(1.0, progress.GetProperty("share").GetDouble());
        Assert.Equal(2, progress.GetProperty("done").GetInt64());

        var location = job.GetProperty("result_location").GetString()!;
        Assert.Matches($"^/v1/workspaces/{ws.Id}/attribution-runs/[0-9a-f-]{{36}}$", location);
        Assert.NotEqual(direct.GetProperty("id").GetString(), location.Split('/')[^1]);
        var run = await client.GetFromJsonAsync<JsonElement>(location);
        static Dictionary<string, double> Credits(JsonElement r) =>
            r.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel_name").GetString()!, c => c.GetProperty("total_conversions").GetDouble());
        Assert.Equal(Credits(direct), Credits(run));
        Assert.Equal(10.0 / 11, Credits(run)["a"], 9);

        // The job's own answer points at the run, and the list finds it by state, in JSON and CSV.
        using var reader = ws.Reader();
        var one = await reader.GetAsync($"/v1/workspaces/{ws.Id}/jobs/{job.GetProperty("id").GetString()}");
        Assert.Equal(location, one.Headers.Location!.OriginalString);
        var listed = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/jobs?state=succeeded");
        Assert.Equal(job.GetProperty("id").GetString(), listed.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Empty((await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/jobs?state=failed")).GetProperty("items").EnumerateArray());
        var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/jobs?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("job_id,kind,state,attempts,progress,created_at,started_at,finished_at,result_location", csv[0]);
        Assert.StartsWith($"{job.GetProperty("id").GetString()},CreateAttributionRun,succeeded,1,", csv[1]);
        Assert.EndsWith("," + location, csv[1]);
        Assert.Equal(2, csv.Length);
    }

    [Fact]
    public async Task A_job_the_service_refuses_fails_with_the_problem_the_request_would_answer_and_a_body_that_does_not_bind_is_refused_at_once()
    {
        await using var host = Worker();
        var ws = await host.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var direct = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov", source = "paths" })).ReadProblemAsync(400);

        var job = await RunAsJobAsync(ws, "attribution-runs", new { model = "markov", source = "paths" });
        Assert.Equal("failed", job.GetProperty("state").GetString());
        var error = job.GetProperty("error");
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Equal(direct.GetProperty("errors").GetProperty("source")[0].GetString(), error.GetProperty("errors").GetProperty("source")[0].GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("result_location").ValueKind);
        Assert.Empty(await ws.SnapshotAsync("attribution_runs"));

        var before = await ws.SnapshotAsync("jobs");
        var unbound = await SendAsJobAsync(client, $"/v1/workspaces/{ws.Id}/attribution-runs", new { model = 5 });
        var problem = await unbound.ReadProblemAsync(400);
        Assert.Contains("'model'", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await ws.SnapshotAsync("jobs"));
    }

    [Fact]
    public async Task Curve_fits_recommendations_paths_scenarios_and_customer_value_fits_run_as_jobs_and_store_what_they_would_store()
    {
        await using var host = Worker();
        var ws = await host.CreateWorkspaceAsync();
        var world = SyntheticWorld.Generate(seed: 21);
        await WorldLoader.LoadAsync(ws, world);
        using (var ingest = ws.Ingest())
            (await ingest.PostAsync($"/v1/workspaces/{ws.Id}/orders", TestWorkspace.Csv(CustomerValueTests.SimulatedOrders(300)))).EnsureSuccessStatusCode();
        using var reader = ws.Reader();
        async Task<JsonElement> Stored(string route, object body)
        {
            var job = await RunAsJobAsync(ws, route, body);
            Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
            var response = await reader.GetAsync(job.GetProperty("result_location").GetString());
            var stored = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, stored.ToString());
            return stored;
        }

        var fit = await Stored("response-curves/fit", new { });
        Assert.Equal(world.Channels.Count, fit.GetProperty("curves").GetArrayLength());
        var rec = await Stored("recommendations", new { });
        Assert.Equal(fit.GetProperty("id").GetString(), rec.GetProperty("fit_id").GetString());
        var path = await Stored("plans", new { horizon_weeks = 2, current = world.CurrentPlan });
        Assert.Equal(2, path.GetProperty("channels")[0].GetProperty("weeks").GetArrayLength());
        var compared = await Stored("scenarios", new { scenarios = new object[] { new { name = "as is", request = new { } }, new { name = "no locks", request = new { locks = Array.Empty<string>() } } } });
        Assert.Equal(2, compared.GetProperty("scenarios").GetArrayLength());
        var value = await Stored("customer-value/fit", new { model = "bg_nbd", time_unit = "week", calibration_end = "2025-03-31", margin = 0.5 });
        Assert.Equal("bg_nbd", value.GetProperty("model").GetString());

        var jobs = (await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/jobs")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["FitCustomerValue", "CreateScenarios", "CreatePlan", "CreateRecommendation", "FitResponseCurves"], jobs.Select(j => j.GetProperty("kind").GetString()));
        var scenarios = jobs[1].GetProperty("progress");
        Assert.Equal(("solving scenarios", 2L, 2L), (scenarios.GetProperty("stage").GetString(), scenarios.GetProperty("done").GetInt64(), scenarios.GetProperty("total").GetInt64()));
    }

    [Fact]
    public async Task A_queued_job_is_cancelled_at_once_and_an_ended_one_cannot_be()
    {
        var ws = await _idle.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var accepted = await SendAsJobAsync(client, $"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov" });
        Assert.Equal(202, (int)accepted.StatusCode);
        var location = accepted.Headers.Location!.OriginalString;

        var cancelled = await client.DeleteAsync(location);
        var job = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)cancelled.StatusCode == 200, job.ToString());
        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.True(job.GetProperty("cancel_requested").GetBoolean());
        Assert.Equal(0, job.GetProperty("attempts").GetInt32());
        // Asked again, it is still cancelled: a DELETE may be retried.
        Assert.Equal(200, (int)(await client.DeleteAsync(location)).StatusCode);

        await using (var conn = await ApiFactory.OpenDbAsync())
        await using (var done = new NpgsqlCommand("update jobs set state = 'succeeded', cancel_requested = false where workspace_id = @ws", conn))
        {
            done.Parameters.AddWithValue("ws", ws.Id);
            await done.ExecuteNonQueryAsync();
        }
        var problem = await (await client.DeleteAsync(location)).ReadProblemAsync(409);
        Assert.Contains("already succeeded", problem.GetProperty("detail").GetString());
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/jobs/{Guid.NewGuid()}")).ReadProblemAsync(404);
        using var reader = ws.Reader();
        Assert.Equal(403, (int)(await reader.DeleteAsync(location)).StatusCode);
    }

    /// <summary>Puts the workspace's one job where an instance that has since died left it: running under its lease, which has run out.</summary>
    private static async Task LeaveToALostInstanceAsync(TestWorkspace ws, int attempts, bool cancelRequested = false, bool leaseRunOut = true)
    {
        await using var conn = await ApiFactory.OpenDbAsync();
        await using var cmd = new NpgsqlCommand("""
            update jobs set state = 'running', attempts = @attempts, lease_owner = 'lost-instance', cancel_requested = @cancel,
                lease_expires_at = now() + case when @out then interval '-1 second' else interval '1 hour' end, started_at = now()
            where workspace_id = @ws
            """, conn);
        cmd.Parameters.AddWithValue("ws", ws.Id);
        cmd.Parameters.AddWithValue("attempts", attempts);
        cmd.Parameters.AddWithValue("cancel", cancelRequested);
        cmd.Parameters.AddWithValue("out", leaseRunOut);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    private static async Task<string> QueueAsync(ApiFactory host, TestWorkspace ws)
    {
        using var client = ws.Ingest();
        const string paths = "path,total_conversions,total_conversion_value,total_null\na > b,1,100,1\nb,0,0,1\n";
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(paths))).EnsureSuccessStatusCode();
        var accepted = await SendAsJobAsync(client, $"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov" });
        Assert.Equal(202, (int)accepted.StatusCode);
        return accepted.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task A_job_whose_instance_was_lost_is_run_again_once_by_another_and_fails_when_lost_on_every_attempt()
    {
        var once = await _idle.CreateWorkspaceAsync();
        var onceJob = await QueueAsync(_idle, once);
        await LeaveToALostInstanceAsync(once, attempts: 1);
        var twice = await _idle.CreateWorkspaceAsync();
        var twiceJob = await QueueAsync(_idle, twice);
        await LeaveToALostInstanceAsync(twice, attempts: 2);

        await using var host = Worker();
        _ = host.Server; // starts the host, and with it its job runner
        var retried = await EndedAsync(once, onceJob);
        Assert.Equal("succeeded", retried.GetProperty("state").GetString());
        Assert.Equal(2, retried.GetProperty("attempts").GetInt32());
        Assert.Single(await once.SnapshotAsync("attribution_runs"));

        var lost = await EndedAsync(twice, twiceJob);
        Assert.Equal("failed", lost.GetProperty("state").GetString());
        Assert.Equal("Instance lost", lost.GetProperty("error").GetProperty("title").GetString());
        Assert.Empty(await twice.SnapshotAsync("attribution_runs"));
    }

    [Fact]
    public async Task A_job_running_on_another_instance_is_asked_to_stop_and_ends_cancelled_when_that_instance_is_gone()
    {
        var ws = await _idle.CreateWorkspaceAsync();
        var location = await QueueAsync(_idle, ws);
        await LeaveToALostInstanceAsync(ws, attempts: 1, leaseRunOut: false);
        using var client = ws.Ingest();
        var asked = await client.DeleteAsync(location);
        var job = await asked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)asked.StatusCode == 202, job.ToString());
        Assert.Equal("running", job.GetProperty("state").GetString());
        Assert.True(job.GetProperty("cancel_requested").GetBoolean());

        // The instance holding it dies before its next renewal: the lease runs out, and the job is not run again.
        await LeaveToALostInstanceAsync(ws, attempts: 1, cancelRequested: true);
        await using var host = Worker();
        _ = host.Server;
        var ended = await EndedAsync(ws, location);
        Assert.Equal("cancelled", ended.GetProperty("state").GetString());
        Assert.Equal(1, ended.GetProperty("attempts").GetInt32());
        Assert.Empty(await ws.SnapshotAsync("attribution_runs"));
    }
}
