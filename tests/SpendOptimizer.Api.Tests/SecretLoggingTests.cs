using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>Keys, query values and the database password must never reach the logs (even at Trace), the traces or the metrics.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecretLoggingTests
{
    [Fact]
    public async Task NoKeyOrPasswordAppearsInLogsAtTraceLevel()
    {
        var logs = new CapturedLogs();
        await using var factory = new ApiFactory
        {
            Configure = b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            b.ConfigureLogging(l => l.AddProvider(logs));
        },
        };
        var ws = await factory.CreateWorkspaceAsync();
        var wrong = "so_" + Guid.NewGuid().ToString("N");
        var root = $"/v1/workspaces/{ws.Id}";

        using (var reader = factory.ClientWithKey(null))
        {
            Assert.True((await reader.GetAsync($"{root}/performance?format=csv&api_key={ws.ReadKey}")).IsSuccessStatusCode);
            Assert.Equal(401, (int)(await reader.GetAsync($"{root}/performance?api_key={ws.IngestKey}")).StatusCode);
            Assert.Equal(401, (int)(await reader.GetAsync($"{root}/performance?api_key={wrong}")).StatusCode);
        }
        using (var ingest = ws.Ingest())
        {
            var bad = await ingest.PutAsync($"{root}/performance", TestWorkspace.Csv($"date,channel,spend\n2026-01-01,{ws.IngestKey},x\n"));
            Assert.Equal(400, (int)bad.StatusCode);
            Assert.Equal(404, (int)(await ingest.GetAsync($"{root}/recommendations/{Guid.NewGuid()}")).StatusCode);
        }
        using (var admin = ws.Admin())
        {
            var issued = await admin.PostAsJsonAsync($"{root}/keys", new { role = "read", label = "logged?" });
            Assert.True(issued.IsSuccessStatusCode);
            var key = (await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
            using var withNew = factory.ClientWithKey(key);
            Assert.True((await withNew.GetAsync($"{root}/economics")).IsSuccessStatusCode);
            Assert.Equal(401, (int)(await factory.ClientWithKey(wrong).GetAsync($"{root}/economics")).StatusCode);

            var text = logs.Text();
            Assert.Contains("Executing endpoint", text); // request-level Trace logging really was captured
            var password = new NpgsqlConnectionStringBuilder(ApiFactory.ConnectionString).Password!;
            foreach (var (name, secret) in new[]
                     {
                         ("operator key", factory.OperatorKey), ("admin key", ws.AdminKey), ("ingest key", ws.IngestKey),
                         ("read key", ws.ReadKey), ("new read key", key), ("wrong key", wrong), ("database password", password),
                     })
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the {name} appears in the logs");
        }
    }

    [Fact]
    public async Task NoKeyQueryValueOrPasswordAppearsInTracesOrMetrics()
    {
        var spans = new CapturedSpans();
        await using var factory = new ApiFactory { Configure = spans.AddTo };
        var ws = await factory.CreateWorkspaceAsync();
        var world = SyntheticWorld.Generate(7);
        await WorldLoader.LoadAsync(ws, world, journeys: true);
        var root = $"/v1/workspaces/{ws.Id}";
        var signature = "sig_" + Guid.NewGuid().ToString("N"); // a secret-looking value in a name the query check lets through
        var wrong = "so_" + Guid.NewGuid().ToString("N");

        using (var reader = factory.ClientWithKey(null))
        {
            Assert.True((await reader.GetAsync($"{root}/performance?format=csv&api_key={ws.ReadKey}&_sig={signature}")).IsSuccessStatusCode);
            Assert.Equal(401, (int)(await reader.GetAsync($"{root}/performance?api_key={wrong}&_sig={signature}")).StatusCode);
        }
        using (var ingest = ws.Ingest())
        {
            var fit = await ingest.PostAsJsonAsync($"{root}/response-curves/fit?_sig={signature}", new { });
            Assert.True(fit.IsSuccessStatusCode, await fit.Content.ReadAsStringAsync());
            var recommendation = await ingest.PostAsJsonAsync($"{root}/recommendations", new { });
            Assert.True((int)recommendation.StatusCode == 201, await recommendation.Content.ReadAsStringAsync());
            var plan = await ingest.PostAsJsonAsync($"{root}/plans", new { horizon_weeks = 2, current = world.CurrentPlan });
            Assert.True((int)plan.StatusCode == 201, await plan.Content.ReadAsStringAsync());
        }
        using var scraper = factory.ClientWithKey(ws.AdminKey);
        var metrics = await MetricsText.ScrapeAsync(scraper);

        // A request's span ends after its response is sent, so the last ones may still be open: wait for them, with a deadline.
        var expected = new[] { "attribution run", "curve fit", "solve allocation", "solve path" };
        bool Complete()
        {
            var traceIds = spans.All.Where(a => a.GetTagItem("url.path") is string path && path.StartsWith(root, StringComparison.Ordinal)).Select(a => a.TraceId).ToHashSet();
            return expected.All(name => spans.All.Any(a => traceIds.Contains(a.TraceId) && a.Source.Name == "SpendOptimizer" && a.DisplayName == name));
        }
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !Complete() && DateTime.UtcNow < deadline;) await Task.Delay(50);

        // The spans and metrics this checks are really there, so a silent exporter cannot pass.
        var mine = spans.All.Where(a => a.GetTagItem("url.path") is string path && path.StartsWith(root, StringComparison.Ordinal)).ToList();
        var traces = mine.Select(a => a.TraceId).ToHashSet();
        var read = Assert.Single(mine, a => a.GetTagItem("url.path") as string == $"{root}/performance" && a.GetTagItem("http.request.method") is "GET"
            && a.GetTagItem("http.response.status_code") is 200);
        Assert.Equal("/v1/workspaces/{ws}/performance", read.GetTagItem("http.route"));
        Assert.Null(read.GetTagItem("url.query"));
        var ours = spans.All.Where(a => traces.Contains(a.TraceId)).ToList();
        foreach (var name in expected)
            Assert.Contains(ours, a => a.Source.Name == "SpendOptimizer" && a.DisplayName == name);
        Assert.Contains(ours, a => a.Source.Name == "Npgsql");
        Assert.Contains(ours, a => a.DisplayName == "solve path" && a.GetTagItem("spendoptimizer.solve.status") is "optimal" or "feasible");
        Assert.True(MetricsText.Sum(metrics, "http_server_request_duration_seconds_count", "http_route=\"/v1/workspaces/{ws}/performance\"") >= 2, metrics);
        foreach (var name in new[] { "spendoptimizer_solve_duration_seconds_count", "spendoptimizer_solve_gap_count", "spendoptimizer_plan_gain_count" })
        foreach (var solver in new[] { "allocation", "path" })
            Assert.True(MetricsText.Sum(metrics, name, $"solver=\"{solver}\"") >= 1, $"{name} for {solver}: {metrics}");
        Assert.True(MetricsText.Sum(metrics, "spendoptimizer_ingest_rows_total", "table=\"paths\"") >= world.Paths.Count, metrics);
        Assert.DoesNotContain(ws.Id, metrics); // routes are templates, never raw paths

        var password = new NpgsqlConnectionStringBuilder(ApiFactory.ConnectionString).Password!;
        var traceText = string.Join("\n", spans.All.Select(CapturedSpans.Text));
        foreach (var (name, secret) in new[]
                 {
                     ("operator key", factory.OperatorKey), ("admin key", ws.AdminKey), ("ingest key", ws.IngestKey), ("read key", ws.ReadKey),
                     ("wrong key", wrong), ("query value", signature), ("database password", password),
                 })
        {
            Assert.False(traceText.Contains(secret, StringComparison.Ordinal), $"the {name} appears in the traces");
            Assert.False(metrics.Contains(secret, StringComparison.Ordinal), $"the {name} appears in the metrics");
        }
        // Not even the names of the query survive on the request spans.
        Assert.All(mine, a => Assert.DoesNotContain("_sig", CapturedSpans.Text(a)));
        Assert.All(mine, a => Assert.DoesNotContain("api_key", CapturedSpans.Text(a)));
    }
}
