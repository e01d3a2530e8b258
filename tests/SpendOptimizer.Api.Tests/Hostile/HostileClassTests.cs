using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Api.Tests.Hostile.HostileAnswers;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// Classes of hostile input, each sent in several forms to every route it reaches: each is a 4xx problem details
/// naming what is wrong, stores nothing, and is never a 5xx.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileClassTests(ApiFactory factory)
{
    private static readonly (string Name, byte[] Bytes)[] BadUtf8 =
    [
        ("0xFF", [0xFF]), ("0xC3 (", [0xC3, 0x28]), ("overlong 0xC0 0xAF", [0xC0, 0xAF]), ("lone surrogate 0xED 0xA0 0x80", [0xED, 0xA0, 0x80]),
    ];

    /// <summary>A valid body per JSON route with a marker "@@" inside one string value; the bad bytes replace the marker.</summary>
    private static readonly (string Method, string Route, string Json)[] JsonBodies =
    [
        ("PUT", "performance", """[{"date":"2026-01-05","channel":"search","spend":100,"conversions":1,"revenue":"@@"}]"""),
        ("PUT", "paths", """[{"path":"search > s@@","total_conversions":1}]"""),
        ("POST", "lift-tests", """[{"id":"t@@","channel":"search","kind":"geo","start":"2026-01-05","end":"2026-01-18","incremental_conversions":10,"stderr":2}]"""),
        ("PUT", "economics", """[{"channel":"all","arpa_monthly":50,"gross_margin":0.8,"monthly_churn":0.05,"retention_curve":"@@"}]"""),
        ("POST", "lift-tests/analyze", """{"channel":"search","start":"2026-01-10","end":"2026-01-12","rows":[{"geo":"a@@","date":"2026-01-01","treated":true,"kpi":5}]}"""),
        ("POST", "attribution-runs", """{"model":"markov@@","source":"paths"}"""),
        ("POST", "recommendations", """{"locks":["tv@@"]}"""),
        ("PUT", "schedule", """{"cron":"0 6 * * 1","time_zone":"Europe/Berlin@@"}"""),
        ("POST", "keys", """{"role":"read","label":"x@@"}"""),
        ("POST", "response-curves/fit", """{"from":"2025-01-06@@"}"""),
    ];

    [Fact]
    public async Task InvalidUtf8InsideAJsonBodyIsA400NamingTheByteOnEveryJsonRoute()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Admin();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        foreach (var (method, route, json) in JsonBodies)
            foreach (var (name, bytes) in BadUtf8)
            {
                var at = Encoding.UTF8.GetByteCount(json[..json.IndexOf("@@", StringComparison.Ordinal)]);
                byte[] body = [.. Encoding.UTF8.GetBytes(json[..json.IndexOf("@@", StringComparison.Ordinal)]), .. bytes, .. Encoding.UTF8.GetBytes(json[(json.IndexOf("@@", StringComparison.Ordinal) + 2)..])];
                using var response = await SendAsync(client, method, $"/v1/workspaces/{ws.Id}/{route}", body, "application/json");
                await AssertRefusedAsync(response, $"{route} with {name}", 400, "UTF-8", $"byte {at + 1}");
            }
        // A workspace is created from JSON too; its id must not be taken by a refused create.
        using var op = factory.ClientWithKey(factory.OperatorKey);
        foreach (var (name, bytes) in BadUtf8)
        {
            using var response = await SendAsync(op, "POST", "/v1/workspaces", [.. "{\"id\":\"u8-x\",\"name\":\"A"u8.ToArray(), .. bytes, .. "\"}"u8.ToArray()], "application/json");
            await AssertRefusedAsync(response, $"workspace with {name}", 400, "UTF-8");
        }
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
    }

    private static readonly string[] ListRoutes = ["performance", "touchpoints", "paths", "lift-tests", "attribution-runs", "recommendations", "schedule/runs"];

    [Fact]
    public async Task MalformedOrTamperedCursorsAreA400NamingCursorOnEveryListRoute()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Reader();
        var cursors = new[]
        {
            "AAAA", "AA", "A", "////", "!!!!", "%00", Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            ListQuery.EncodeCursor("2026-01-05\0", "search"), ListQuery.EncodeCursor("\0"), ListQuery.EncodeCursor("a\0", "1", "touch", "b"),
            ListQuery.EncodeCursor("2026-01-05", "search")[..^3], ListQuery.EncodeCursor(DateTimeOffset.UtcNow.UtcTicks.ToString(), Guid.NewGuid().ToString())[..^5],
            ListQuery.EncodeCursor("j1", "99999999999999999999", "touch", "search"), ListQuery.EncodeCursor("j1", "-5", "touch", "search"),
            ListQuery.EncodeCursor("x", "y", "z"), Convert.ToBase64String([0xFF, 0xFE, 0x1F, 0xC3]),
        };
        foreach (var route in ListRoutes)
            foreach (var cursor in cursors)
            {
                using var response = await client.GetAsync($"/v1/workspaces/{ws.Id}/{route}?cursor={Uri.EscapeDataString(cursor)}");
                await AssertRefusedAsync(response, $"{route}?cursor={cursor}", 400, "cursor");
            }
    }

    [Fact]
    public async Task TimestampsOutsideTheRepresentableRangeAreRowErrors()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var stamps = new[]
        {
            "2024-01-01T00:00:00+14:01", "2024-01-01T00:00:00-14:01", "2024-01-01T00:00:00+99:00", "9999-12-31T23:59:59-14:00",
            "9999-12-31T23:59:59-00:01", "0001-01-01T00:00:00+00:01", "0001-01-01T00:00:00+14:00", "2024-01-01 00:00:00+14:30",
            "9999-12-31T23:59:59.5-14:00", "0001-01-01T00:00:00.5+14:00",
        };
        var before = await HostileHost.FingerprintAsync(ws.Id);
        foreach (var stamp in stamps)
        {
            var csv = $"journey_id,timestamp,event,channel,value\nj-ok,2026-01-05T10:00:00Z,touch,search,\nj-bad,{stamp},conversion,,5\n";
            using var response = await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(csv));
            var text = await AssertRefusedAsync(response, $"timestamp {stamp}", 400, "timestamp");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateArray().Single();
            Assert.Equal(2, error.GetProperty("row").GetInt64());
            Assert.Equal("timestamp", error.GetProperty("column").GetString());
        }
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
    }

    private static readonly (string Route, string Parameter)[] NumericParameters =
    [
        ("incrementality", "prior_mean"), ("incrementality", "prior_sd"), ("incrementality", "age_half_life_days"),
        ("incrementality", "spend_distance_scale"), ("anomalies", "threshold"),
    ];

    [Fact]
    public async Task NonFiniteNumbersInQueryParametersAreA400NamingTheParameter()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 9));
        using var client = ws.Reader();
        foreach (var (route, parameter) in NumericParameters)
            foreach (var value in new[] { "NaN", "Infinity", "-Infinity", "1e309", "-1e400", "nan", "∞" })
            {
                using var response = await client.GetAsync($"/v1/workspaces/{ws.Id}/{route}?{parameter}={Uri.EscapeDataString(value)}");
                await AssertRefusedAsync(response, $"{route}?{parameter}={value}", 400, parameter);
            }
    }

    [Fact]
    public async Task OutOfRangeDatesAndNulsInQueryParametersAreA400NamingTheParameter()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 9));
        using var client = ws.Reader();
        var cases = new (string Route, string Parameter, string Value)[]
        {
            ("incrementality", "as_of", "9999-12-31"), ("incrementality", "as_of", "0001-01-01"), ("incrementality", "as_of", "2026-02-30"),
            ("kpis", "from", "0001-01-01"), ("kpis", "to", "9999-12-31"), ("performance", "to", "9999-12-31"), ("touchpoints", "from", "0001-01-01"),
            ("anomalies", "to", "9999-12-31"), ("attribution-runs", "model", "\0"), ("attribution-runs", "model", "markov\0"),
            ("incrementality", "untested_prior", "\0"), ("performance", "format", "\0"), ("kpis", "grain", "week\0"),
            ("forecast", "metric", "\0"), ("incrementality", "attribution_run_id", "\0"), ("performance", "limit", "1e3"),
        };
        foreach (var (route, parameter, value) in cases)
        {
            using var response = await client.GetAsync($"/v1/workspaces/{ws.Id}/{route}?{parameter}={Uri.EscapeDataString(value)}");
            await AssertRefusedAsync(response, $"{route}?{parameter}={value.Replace("\0", "\\0")}", 400, parameter);
        }
    }

    [Fact]
    public async Task NumbersBeyondTheUploadLimitAreRowErrorsAndTheWorkspaceKeepsWorking()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 9), journeys: true);
        using var client = ws.Ingest();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        var cases = new (string Method, string Route, string Column, string Header, string Row)[]
        {
            ("PUT", "performance", "spend", "date,channel,spend", "2026-01-05,search,1e308"),
            ("PUT", "performance", "spend", "date,channel,spend", "2026-01-05,search,1000000000001"),
            ("PUT", "performance", "conversions", "date,channel,spend,conversions", "2026-01-05,search,1,1e308"),
            ("PUT", "performance", "revenue", "date,channel,spend,revenue", "2026-01-05,search,1,1.7e308"),
            ("PUT", "performance", "new_customers", "date,channel,spend,new_customers", "2026-01-05,search,1,1e300"),
            ("PUT", "performance", "impressions", "date,channel,spend,impressions", "2026-01-05,search,1,9000000000000000"),
            ("POST", "touchpoints", "value", "journey_id,timestamp,event,value", "j-huge,2026-01-05T10:00:00Z,conversion,1e308"),
            ("PUT", "paths", "total_conversions", "path,total_conversions", "search > social,1e308"),
            ("PUT", "paths", "total_conversion_value", "path,total_conversions,total_conversion_value", "search > social,1,1e308"),
            ("PUT", "paths", "total_null", "path,total_conversions,total_null", "search > social,1,1e308"),
            ("POST", "lift-tests", "incremental_conversions", "channel,kind,start,end,incremental_conversions,stderr", "search,geo,2026-01-05,2026-01-18,1e308,2"),
            ("POST", "lift-tests", "incremental_conversions", "channel,kind,start,end,incremental_conversions,stderr", "search,geo,2026-01-05,2026-01-18,-1e308,2"),
            ("POST", "lift-tests", "stderr", "channel,kind,start,end,incremental_conversions,stderr", "search,geo,2026-01-05,2026-01-18,10,1e308"),
            ("POST", "lift-tests", "spend", "channel,kind,start,end,incremental_conversions,stderr,spend", "search,geo,2026-01-05,2026-01-18,10,2,1e308"),
            ("POST", "lift-tests", "attributed_conversions", "channel,kind,start,end,incremental_conversions,stderr,attributed_conversions", "search,geo,2026-01-05,2026-01-18,10,2,1e308"),
            ("POST", "lift-tests", "ci_upper", "channel,kind,start,end,incremental_conversions,ci_lower,ci_upper", "search,geo,2026-01-05,2026-01-18,10,-1e308,1e308"),
            ("PUT", "economics", "arpa_monthly", "channel,arpa_monthly,gross_margin,monthly_churn", "all,1e308,0.8,0.05"),
            ("PUT", "economics", "clv_override", "channel,arpa_monthly,gross_margin,clv_override", "all,50,0.8,1e308"),
        };
        foreach (var (method, route, column, header, row) in cases)
        {
            using var response = await SendAsync(client, method, $"/v1/workspaces/{ws.Id}/{route}", Encoding.UTF8.GetBytes($"{header}\n{row}\n"), "text/csv");
            var text = await AssertRefusedAsync(response, $"{route} {column} = {row}", 400, column, "1e12");
            Assert.Contains(JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateArray(), e => e.GetProperty("column").GetString() == column);
        }
        // The same through JSON, where a number is a number.
        using (var json = await SendAsync(client, "PUT", $"/v1/workspaces/{ws.Id}/performance",
                   """[{"date":"2026-01-05","channel":"search","spend":1e308}]"""u8.ToArray(), "application/json"))
            await AssertRefusedAsync(json, "performance JSON spend 1e308", 400, "spend");
        using (var geo = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/lift-tests/analyze", new
               {
                   channel = "search", start = "2026-01-10", end = "2026-01-12", store_as_lift_test = true,
                   rows = new[] { new { geo = "a", date = "2026-01-01", treated = true, kpi = 5.0, spend = 1e308 } },
               }))
            await AssertRefusedAsync(geo, "geo analysis spend 1e308", 400, "rows[0]");
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));

        // Nothing was stored, so the workspace answers as before: a normal upload, an attribution run and a plan.
        using var upload = await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv("path,total_conversions,total_null\nsearch > social,3,4\n"));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        using var run = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov", source = "paths" });
        Assert.True((int)run.StatusCode == 201, await run.Content.ReadAsStringAsync());
        using var plan = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { });
        Assert.True((int)plan.StatusCode == 201, await plan.Content.ReadAsStringAsync());
        using var kpis = await ws.Reader().GetAsync($"/v1/workspaces/{ws.Id}/kpis");
        Assert.True(kpis.IsSuccessStatusCode, await kpis.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NulCharactersInJsonStringFieldsAreA400NamingTheField()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var admin = ws.Admin();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        var cases = new (string Method, string Route, string Field, string Json)[]
        {
            ("POST", "keys", "label", """{"role":"read","label":"a\u0000b"}"""),
            ("PUT", "schedule", "cron", """{"cron":"0 6 * * 1\u0000","time_zone":"UTC"}"""),
            ("PUT", "schedule", "time_zone", """{"cron":"0 6 * * 1","time_zone":"\u0000"}"""),
            ("POST", "lift-tests/analyze", "id", """{"channel":"search","start":"2026-01-10","end":"2026-01-12","id":"t\u0000","store_as_lift_test":true,"rows":[{"geo":"a","date":"2026-01-01","treated":true,"kpi":5}]}"""),
            ("POST", "lift-tests/analyze", "rows[0].geo", """{"channel":"search","start":"2026-01-10","end":"2026-01-12","rows":[{"geo":"\u0000","date":"2026-01-01","treated":true,"kpi":5}]}"""),
            ("POST", "attribution-runs", "model", """{"model":"\u0000markov"}"""),
            ("POST", "recommendations", "locks[0]", """{"locks":["tv\u0000"]}"""),
            ("POST", "keys", "label", """{"role":"read","label":"\ud800"}"""),
        };
        foreach (var (method, route, field, json) in cases)
        {
            using var response = await SendAsync(admin, method, $"/v1/workspaces/{ws.Id}/{route}", Encoding.UTF8.GetBytes(json), "application/json");
            await AssertRefusedAsync(response, $"{route} {field}", 400, field);
        }
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
        using var op = factory.ClientWithKey(factory.OperatorKey);
        var id = "nul-" + Guid.NewGuid().ToString("N")[..12];
        using (var named = await SendAsync(op, "POST", "/v1/workspaces", Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","name":"Acme\u0000"}"""), "application/json"))
            await AssertRefusedAsync(named, "workspace name with NUL", 400, "name");
        Assert.Equal(0, await WorkspaceRowsAsync(id));
    }

    [Fact]
    public async Task AWorkspaceIdWithAFinalNewlineIsRefusedAndCommitsNothing()
    {
        using var op = factory.ClientWithKey(factory.OperatorKey);
        foreach (var ending in new[] { "\n", "\r\n", "\r", "\u2028", " ", "\t", "\0" })
        {
            var id = "nl-" + Guid.NewGuid().ToString("N")[..12];
            using var response = await op.PostAsJsonAsync("/v1/workspaces", new { id = id + ending, name = "Acme" });
            await AssertRefusedAsync(response, $"id ending {JsonSerializer.Serialize(ending)}", 400, "id");
            Assert.Equal(0, await WorkspaceRowsAsync(id));
            Assert.Equal(0, await WorkspaceRowsAsync(id + ending));
        }
    }

    [Fact]
    public async Task PositionSharesAddingUpToMoreThanOneAreA400NamingBoth()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        using (var paths = await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv("path,total_conversions,total_null\nsearch > social > tv,3,4\n")))
            Assert.True(paths.IsSuccessStatusCode);
        var before = await HostileHost.FingerprintAsync(ws.Id);
        foreach (var parameters in new object[] { new { first_share = 0.7, last_share = 0.7 }, new { first_share = 1.0, last_share = 0.01 }, new { first_share = 0.61 }, new { last_share = 0.9 } })
        {
            using var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "position_based", source = "paths", parameters });
            await AssertRefusedAsync(response, $"position_based {JsonSerializer.Serialize(parameters)}", 400, "first_share", "last_share");
        }
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
        using var fine = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "position_based", source = "paths", parameters = new { first_share = 0.5, last_share = 0.5 } });
        Assert.True((int)fine.StatusCode == 201, await fine.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task APlanWithoutLimitsIsMadeOnAPlainWorkspace()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 9));
        using var client = ws.Ingest();
        foreach (var request in new object[] { new { limit_scope = "none" }, new { limit_scope = "none", budget_mode = "cap" }, new { limit_scope = "blended" } })
        {
            using var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == 201, $"{JsonSerializer.Serialize(request)}: {(int)response.StatusCode} {Short(text)}");
        }
    }

    [Fact]
    public async Task RolesAreOneOfTheirNamesNeverAFlagCombinationOrANumber()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var admin = ws.Admin();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        foreach (var role in new[] { "\"read,ingest\"", "\"ingest,read\"", "\"read, admin\"", "3", "1", "0", "\"3\"", "\"read|ingest\"", "\" read\"", "\"\"", "null", "true", "[\"read\"]" })
        {
            using var response = await SendAsync(admin, "POST", $"/v1/workspaces/{ws.Id}/keys", Encoding.UTF8.GetBytes($$"""{"role":{{role}}}"""), "application/json");
            await AssertRefusedAsync(response, $"role {role}", 400, "role");
        }
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
        foreach (var role in new[] { "read", "ingest", "admin" })
        {
            using var response = await admin.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/keys", new { role });
            var key = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((int)response.StatusCode == 201, key.ToString());
            Assert.Equal(role, key.GetProperty("role").GetString());
        }
    }

    [Fact]
    public async Task ConflictsAndOtherRefusalsCarryNoDriverSqlOrExceptionText()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var op = factory.ClientWithKey(factory.OperatorKey);
        using var client = ws.Ingest();
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("workspace taken", await op.PostAsJsonAsync("/v1/workspaces", new { id = ws.Id, name = "Again" })),
        };
        var tp = "journey_id,timestamp,event,channel\nj1,2026-01-05T10:00:00Z,touch,search\n";
        using (var first = await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(tp))) Assert.True(first.IsSuccessStatusCode);
        answers.Add(("touchpoint stored twice", await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(tp))));
        answers.Add(("body of the wrong type", await SendAsync(client, "POST", $"/v1/workspaces/{ws.Id}/attribution-runs", "{\"model\":5}"u8.ToArray(), "application/json")));
        answers.Add(("no body", await SendAsync(client, "POST", $"/v1/workspaces/{ws.Id}/attribution-runs", [], "application/json")));
        answers.Add(("broken JSON", await SendAsync(client, "POST", $"/v1/workspaces/{ws.Id}/recommendations", "{\"locks\":[}"u8.ToArray(), "application/json")));
        answers.Add(("CSV body for a JSON route", await SendAsync(client, "POST", $"/v1/workspaces/{ws.Id}/recommendations", "a,b\n"u8.ToArray(), "text/csv")));
        answers.Add(("bad guid", await client.GetAsync($"/v1/workspaces/{ws.Id}/response-curves?fit_id=xyz")));
        answers.Add(("bad csv", await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv("path,total_conversions\n\"a,1\n"))));
        foreach (var (what, response) in answers)
        {
            var status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{what}: {status}");
            await AssertRefusedAsync(response, what, status);
            response.Dispose();
        }
        Assert.Equal(409, (int)answers[0].Response.StatusCode);
        Assert.Equal(409, (int)answers[1].Response.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, byte[] body, string contentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await client.SendAsync(request);
    }

    private static async Task<long> WorkspaceRowsAsync(string id)
    {
        await using var db = await ApiFactory.OpenDbAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select (select count(*) from workspaces where id = @id) + (select count(*) from api_keys where workspace_id = @id)", db);
        cmd.Parameters.AddWithValue("id", id.Replace("\0", ""));
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
