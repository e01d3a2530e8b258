using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>Mistakes can be undone: each delete removes exactly what it names, whole, and is recorded with who asked.</summary>
[Collection(ApiCollection.Name)]
public sealed class DeletionTests(ApiFactory factory)
{
    private static object Day(string channel, string date, double conversions = 10) => new
    {
        date, channel, spend = 100, impressions = 1000, clicks = 10, conversions, revenue = conversions * 20, new_customers = 1,
    };

    /// <summary>Two channels, five days each (1–5 March 2025).</summary>
    private static async Task LoadFiveDaysAsync(TestWorkspace ws)
    {
        using var client = ws.Ingest();
        var rows = new[] { "search", "social" }.SelectMany(c => Enumerable.Range(1, 5).Select(d => Day(c, $"2025-03-0{d}")));
        (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/performance", rows)).EnsureSuccessStatusCode();
    }

    private static async Task<long> RemovedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("removed").GetInt64();
    }

    private static async Task<List<JsonElement>> DeletionsAsync(TestWorkspace ws)
    {
        using var reader = ws.Reader();
        return (await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/deletions")).GetProperty("items").EnumerateArray().ToList();
    }

    private static async Task<List<string>> EverythingAsync(TestWorkspace ws)
    {
        var all = new List<string>();
        foreach (var t in WorkspaceTables.All) all.AddRange((await ws.SnapshotAsync(t)).Select(r => $"{t}: {r}"));
        return all;
    }

    [Fact]
    public async Task PerformanceDeleteRemovesOnlyThatChannelsDaysBothEndsIncludedAndRecordsWhoAsked()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await LoadFiveDaysAsync(ws);
        using var client = ws.Ingest();

        // search on 2, 3 and 4 March: three rows; social's five and search's 1 and 5 March stay.
        Assert.Equal(3, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/performance?channel=search&from=2025-03-02&to=2025-03-04")));
        var left = (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/performance")).GetProperty("items").EnumerateArray()
            .Select(r => $"{r.GetProperty("channel").GetString()} {r.GetProperty("date").GetString()}").ToList();
        Assert.Equal(["search 2025-03-01", "social 2025-03-01", "social 2025-03-02", "social 2025-03-03", "social 2025-03-04", "search 2025-03-05", "social 2025-03-05"], left);

        using var admin = ws.Admin();
        var key = (await admin.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/keys")).EnumerateArray().Single(k => k.GetProperty("role").GetString() == "ingest");
        var entry = Assert.Single(await DeletionsAsync(ws));
        Assert.Equal(key.GetProperty("id").GetString(), entry.GetProperty("key_id").GetString());
        Assert.Equal(key.GetProperty("prefix").GetString(), entry.GetProperty("key_prefix").GetString());
        Assert.StartsWith(entry.GetProperty("key_prefix").GetString()!, ws.IngestKey);
        Assert.Equal("ingest", entry.GetProperty("role").GetString());
        Assert.Equal("DELETE /v1/workspaces/{ws}/performance", entry.GetProperty("route").GetString());
        Assert.Equal("""{"channel":"search","from":"2025-03-02","to":"2025-03-04"}""", entry.GetProperty("parameters").GetRawText());
        Assert.Equal(3, entry.GetProperty("removed").GetInt64());
        Assert.True(DateTimeOffset.UtcNow - entry.GetProperty("deleted_at").GetDateTimeOffset() < TimeSpan.FromHours(1));

        // The same delete again finds nothing: a 404, and nothing more is recorded.
        var before = await EverythingAsync(ws);
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/performance?channel=search&from=2025-03-02&to=2025-03-04")).ReadProblemAsync(404);
        Assert.Equal(before, await EverythingAsync(ws));

        using var reader = ws.Reader();
        var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/deletions?format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,deleted_at,key_id,key_prefix,role,route,parameters,removed", csv[0]);
        Assert.EndsWith($",{key.GetProperty("id").GetString()},{key.GetProperty("prefix").GetString()},ingest,DELETE /v1/workspaces/{{ws}}/performance,channel=search&from=2025-03-02&to=2025-03-04,3", csv[1]);
        Assert.Equal(2, csv.Length);
    }

    [Theory]
    [InlineData("performance?from=2025-03-01&to=2025-03-05", "channel")]
    [InlineData("performance?channel=&from=2025-03-01&to=2025-03-05", "channel")]
    [InlineData("performance?channel=%20search&from=2025-03-01&to=2025-03-05", "channel")]
    [InlineData("performance?channel=search&to=2025-03-05", "from")]
    [InlineData("performance?channel=search&from=2025-03-01", "to")]
    [InlineData("performance?channel=search&from=2025-03-05&to=2025-03-01", "to")]
    [InlineData("performance?channel=search&from=2025-3-1&to=2025-03-05", "from")]
    [InlineData("performance?channel=search&from=2025-03-01&to=10000-01-01", "to")]
    [InlineData("paths?path=%20", "path")]
    [InlineData("economics/a%3Eb", "channel")]
    [InlineData("lift-tests/x{101}", "id")]
    public async Task BadParameterIsA400NamingItAndChangesNothingNotEvenTheAudit(string route, string parameter)
    {
        var ws = await factory.CreateWorkspaceAsync();
        await LoadFiveDaysAsync(ws);
        using var client = ws.Ingest();
        (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/paths", new[] { new { path = "search", total_conversions = 1, total_conversion_value = 1, total_null = 1 } })).EnsureSuccessStatusCode();
        var before = await EverythingAsync(ws);
        var problem = await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/{route.Replace("x{101}", new string('x', 101))}")).ReadProblemAsync(400);
        Assert.Equal(parameter, Assert.Single(problem.Errors()).GetProperty("column").GetString());
        Assert.Contains("Nothing was changed", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await EverythingAsync(ws));
        Assert.Empty(await DeletionsAsync(ws));
    }

    [Theory]
    [InlineData("performance?channel=search&from=2025-03-01&to=2025-03-05")]
    [InlineData("paths")]
    [InlineData("economics/all")]
    [InlineData("lift-tests/lt-1")]
    [InlineData("touchpoints/loads/{load}")]
    public async Task ReadKeyGets403AndNothingGoes(string route)
    {
        var ws = await factory.CreateWorkspaceAsync();
        await LoadFiveDaysAsync(ws);
        using var client = ws.Ingest();
        (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/paths", new[] { new { path = "search", total_conversions = 1, total_conversion_value = 1, total_null = 1 } })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/economics", new[] { new { channel = "all", arpa_monthly = 50, gross_margin = 0.8, monthly_churn = 0.05 } })).EnsureSuccessStatusCode();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/lift-tests", TestWorkspace.Csv("id,channel,kind,start,end,incremental_conversions,stderr\nlt-1,search,geo,2025-02-03,2025-03-02,10,5\n"))).EnsureSuccessStatusCode();
        var load = await (await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv("journey_id,timestamp,event,channel,value\nj1,2025-03-01T10:00:00Z,touch,search,\n")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var before = await EverythingAsync(ws);
        using var reader = ws.Reader();
        var problem = await (await reader.DeleteAsync($"/v1/workspaces/{ws.Id}/{route.Replace("{load}", load.GetProperty("load_id").GetString())}")).ReadProblemAsync(403);
        Assert.Contains("ingest", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await EverythingAsync(ws));
    }

    [Fact]
    public async Task LiftTestEconomicsAndPathDeletesRemoveOneRowEachAndAllPathsWithoutAPath()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/lift-tests", TestWorkspace.Csv("""
            id,channel,kind,start,end,incremental_conversions,stderr
            lt-1,search,geo,2025-02-03,2025-03-02,10,5
            lt-2,social,holdout,2025-02-03,2025-03-02,20,5
            """))).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/economics", new[]
        {
            new { channel = "all", arpa_monthly = 50, gross_margin = 0.8, monthly_churn = 0.05 },
            new { channel = "social", arpa_monthly = 40, gross_margin = 0.7, monthly_churn = 0.04 },
        })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/paths", new[] { "search > social", "search", "social > display" }
            .Select(p => new { path = p, total_conversions = 1, total_conversion_value = 2, total_null = 3 }))).EnsureSuccessStatusCode();

        Assert.Equal(1, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/lift-tests/lt-1")));
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/lift-tests/lt-1")).ReadProblemAsync(404);
        var tests = (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/lift-tests")).GetProperty("items").EnumerateArray();
        Assert.Equal("lt-2", Assert.Single(tests).GetProperty("id").GetString());

        Assert.Equal(1, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/economics/social")));
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/economics/social")).ReadProblemAsync(404);
        var economics = (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/economics")).GetProperty("items").EnumerateArray();
        Assert.Equal("all", Assert.Single(economics).GetProperty("channel").GetString());

        Assert.Equal(1, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/paths?path={Uri.EscapeDataString("search > social")}")));
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/paths?path={Uri.EscapeDataString("search > social")}")).ReadProblemAsync(404);
        var paths = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/paths?format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(line => line.Split(',')[0]).ToList();
        Assert.Equal(["search", "social > display"], paths);
        Assert.Equal(2, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/paths")));
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/paths")).ReadProblemAsync(404);

        var audit = (await DeletionsAsync(ws)).Select(d => (d.GetProperty("route").GetString(), d.GetProperty("parameters").GetRawText(), d.GetProperty("removed").GetInt64())).ToList();
        Assert.Equal([
            ("DELETE /v1/workspaces/{ws}/paths", "{}", 2L),
            ("DELETE /v1/workspaces/{ws}/paths", """{"path":"search > social"}""", 1L),
            ("DELETE /v1/workspaces/{ws}/economics/{channel}", """{"channel":"social"}""", 1L),
            ("DELETE /v1/workspaces/{ws}/lift-tests/{id}", """{"id":"lt-1"}""", 1L),
        ], audit);
    }

    private const string FileA = """
        journey_id,timestamp,event,channel,value
        a1,2025-03-01T10:00:00Z,touch,search,
        a1,2025-03-02T10:00:00Z,touch,social,
        a1,2025-03-02T12:00:00Z,conversion,,120
        a2,2025-03-03T09:00:00Z,touch,display,
        """;

    [Fact]
    public async Task TouchpointLoadDeleteRemovesItsEventsAndFreesItsIdempotencyKeySoTheFileLoadsAgain()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        async Task<HttpResponseMessage> Post(string csv, string? key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/workspaces/{ws.Id}/touchpoints") { Content = TestWorkspace.Csv(csv) };
            if (key is not null) request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }
        var a = await (await Post(FileA, "file-a")).Content.ReadFromJsonAsync<JsonElement>();
        var b = await Post("journey_id,timestamp,event,channel,value\nb1,2025-03-04T10:00:00Z,touch,search,\nb1,2025-03-04T11:00:00Z,conversion,,50\n", null);
        b.EnsureSuccessStatusCode();

        Assert.Equal(4, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/touchpoints/loads/{a.GetProperty("load_id").GetString()}")));
        var journeys = (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/touchpoints")).GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("journey_id").GetString()).ToList();
        Assert.Equal(["b1", "b1"], journeys);
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/touchpoints/loads/{a.GetProperty("load_id").GetString()}")).ReadProblemAsync(404);
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/touchpoints/loads/{Guid.NewGuid()}")).ReadProblemAsync(404);

        // The same file with the same key is a new load, not a replay of the deleted one.
        var again = await Post(FileA, "file-a");
        var reloaded = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(again.IsSuccessStatusCode, reloaded.ToString());
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(a.GetProperty("load_id").GetString(), reloaded.GetProperty("load_id").GetString());
        Assert.Equal(4, reloaded.GetProperty("rows").GetInt64());
        Assert.Equal(6, (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/touchpoints")).GetProperty("items").GetArrayLength());

        var entry = Assert.Single(await DeletionsAsync(ws));
        Assert.Equal("DELETE /v1/workspaces/{ws}/touchpoints/loads/{load_id:guid}", entry.GetProperty("route").GetString());
        Assert.Equal(a.GetProperty("load_id").GetString(), entry.GetProperty("parameters").GetProperty("load_id").GetString());
        Assert.Equal(4, entry.GetProperty("removed").GetInt64());
    }

    [Fact]
    public async Task LoadWhoseTouchpointsPredateLoadTrackingIsRefusedWhole()
    {
        var ws = await factory.CreateWorkspaceAsync();
        var loadId = Guid.NewGuid();
        await using (var db = await ApiFactory.OpenDbAsync())
        await using (var cmd = new NpgsqlCommand("""
            insert into touchpoints (workspace_id, journey_id, ts, event, channel, value) values (@ws, 'old', '2024-01-01T00:00:00Z', 'touch', 'search', 0);
            insert into touchpoint_loads (id, workspace_id, rows, touches) values (@id, @ws, 1, 1);
            """, db))
        {
            cmd.Parameters.AddWithValue("ws", ws.Id);
            cmd.Parameters.AddWithValue("id", loadId);
            await cmd.ExecuteNonQueryAsync();
        }
        var before = await EverythingAsync(ws);
        using var client = ws.Ingest();
        var problem = await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/touchpoints/loads/{loadId}")).ReadProblemAsync(409);
        Assert.Contains("Nothing was changed", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await EverythingAsync(ws));
    }

    [Fact]
    public async Task DeletesLeaveStoredRunsFitsAndPlansAsTheyWereAndTheOutcomeReadsTheCorrectedWeek()
    {
        var world = SyntheticWorld.Generate(seed: 33, weeks: 80);
        var ws = await factory.CreateWorkspaceAsync();
        var runId = await WorldLoader.LoadAsync(ws, world, journeys: true);
        using var client = ws.Ingest();
        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { });
        var rec = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, rec.ToString());
        var id = rec.GetProperty("id").GetString();
        var week = DateOnly.Parse(rec.GetProperty("week").GetString()!);
        var stored = new[]
        {
            $"/v1/workspaces/{ws.Id}/attribution-runs/{runId}", $"/v1/workspaces/{ws.Id}/response-curves?fit_id={rec.GetProperty("fit_id").GetString()}",
            $"/v1/workspaces/{ws.Id}/recommendations/{id}", $"/v1/workspaces/{ws.Id}/recommendations/{id}/report",
        };
        async Task<List<string>> StoredAsync() => [.. await Task.WhenAll(stored.Select(client.GetStringAsync))];
        var before = await StoredAsync();

        var channels = rec.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("channel").GetString()!).Order(StringComparer.Ordinal).ToList();
        var first = channels[0];
        async Task PutWeek(IEnumerable<string> which, double conversionsPerDay) =>
            (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/performance",
                which.SelectMany(c => Enumerable.Range(0, 7).Select(d => Day(c, week.AddDays(d).ToString("yyyy-MM-dd"), conversionsPerDay))))).EnsureSuccessStatusCode();
        async Task<JsonElement> Outcome() => await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/recommendations/{id}/outcome");
        JsonElement Line(JsonElement o, string c) => o.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("channel").GetString() == c);

        // A week loaded wrong: 5 conversions a day where 3 happened.
        await PutWeek(channels, 5);
        Assert.Equal(35, Line(await Outcome(), first).GetProperty("reported_conversions").GetDouble(), 9);
        var days = $"from={week:yyyy-MM-dd}&to={week.AddDays(6):yyyy-MM-dd}";
        Assert.Equal(7, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/performance?channel={first}&{days}")));
        var gone = await Outcome();
        Assert.Equal("partial", gone.GetProperty("status").GetString());
        Assert.Equal(0, Line(gone, first).GetProperty("days_with_data").GetInt32());
        Assert.Equal(JsonValueKind.Null, Line(gone, first).GetProperty("reported_conversions").ValueKind);
        await PutWeek([first], 3);
        var corrected = await Outcome();
        Assert.Equal("complete", corrected.GetProperty("status").GetString());
        Assert.Equal(21, Line(corrected, first).GetProperty("reported_conversions").GetDouble(), 9);
        Assert.Equal(35, Line(corrected, channels[1]).GetProperty("reported_conversions").GetDouble(), 9);

        // Everything the run, the fit and the plan were made from goes; they stay as they were.
        foreach (var c in channels)
            Assert.True(await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/performance?channel={c}&from=2000-01-01&to=2100-12-31")) > 0);
        Assert.True(await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/paths")) > 0);
        foreach (var t in world.LiftTests) Assert.Equal(1, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/lift-tests/{t.Id}")));
        foreach (var e in world.Economics) Assert.Equal(1, await RemovedAsync(await client.DeleteAsync($"/v1/workspaces/{ws.Id}/economics/{e.Channel}")));
        Assert.Equal(before, await StoredAsync());
        Assert.Empty(await ws.SnapshotAsync("channel_performance"));
        Assert.Equal(1 + channels.Count + 1 + world.LiftTests.Count + world.Economics.Count, (await DeletionsAsync(ws)).Count);
    }
}
