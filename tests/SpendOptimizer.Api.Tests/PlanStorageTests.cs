using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>Stored paths over real HTTP: POST …/plans keeps what it answered, GET …/plans/{id} and …/plans/latest give it back.</summary>
[Collection(ApiCollection.Name)]
public sealed class PlanStorageTests(ApiFactory factory)
{
    private static readonly string[] CsvHeader =
    [
        "week", "channel", "spend", "previous_spend", "change", "adstock", "conversions", "customers", "revenue", "value", "cac",
        "payback_months", "clv_cac", "reason", "unreachable_limits", "spend_where_limits_hold",
    ];

    private static async Task<(TestWorkspace Ws, SyntheticWorld World)> LoadedAsync(ApiFactory factory, int seed)
    {
        var world = SyntheticWorld.Generate(seed);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var fit = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { });
        Assert.True(fit.IsSuccessStatusCode, await fit.Content.ReadAsStringAsync());
        return (ws, world);
    }

    private static async Task<JsonElement> PlanAsync(TestWorkspace ws, object body)
    {
        using var client = ws.Ingest();
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans", body);
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, plan.ToString());
        var id = plan.GetProperty("id").GetString()!;
        Assert.Equal(7, Guid.Parse(id).Version);
        Assert.Equal($"/v1/workspaces/{ws.Id}/plans/{id}", response.Headers.Location?.OriginalString);
        return plan;
    }

    [Fact]
    public async Task AStoredPathComesBackAsAnsweredAndItsCsvHasOneRowPerWeekAndChannelWithTheSameFigures()
    {
        var (ws, world) = await LoadedAsync(factory, 34);
        const int horizon = 5;
        var plan = await PlanAsync(ws, new { horizon_weeks = horizon, current = world.CurrentPlan, budget_mode = "within", budget_tolerance = 0.01 });
        var id = plan.GetProperty("id").GetString();

        using var reader = ws.Reader();
        var again = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/plans/{id}");
        Assert.True(JsonElement.DeepEquals(plan, again), $"stored:\n{again}\nanswered:\n{plan}");

        // As a spreadsheet pulls it: a plain GET with the key in the URL.
        using var anonymous = factory.ClientWithKey(null);
        var response = await anonymous.GetAsync($"/v1/workspaces/{ws.Id}/plans/{id}?format=csv&api_key={ws.ReadKey}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = text.TrimEnd().Split("\r\n");
        Assert.Equal(CsvHeader, lines[0].Split(','));
        var channels = plan.GetProperty("channels").EnumerateArray().ToList();
        Assert.Equal(world.Channels.Count, channels.Count);
        Assert.Equal(horizon * channels.Count + 1, lines.Length);

        // Rows go week by week, each week's channels in the path's order; every figure is the JSON's, rounded as its column says.
        var row = 1;
        for (var t = 0; t < horizon; t++)
            foreach (var channel in channels)
            {
                var fields = lines[row++].Split(',');
                Assert.Equal(CsvHeader.Length, fields.Length);
                var cell = channel.GetProperty("weeks")[t];
                Assert.Equal(cell.GetProperty("week").GetString(), fields[0]);
                Assert.Equal(channel.GetProperty("channel").GetString(), fields[1]);
                foreach (var (name, decimals) in new[]
                         {
                             ("spend", 2), ("previous_spend", 2), ("change", 4), ("adstock", 2), ("conversions", 2), ("customers", 2),
                             ("revenue", 2), ("value", 2), ("cac", 2), ("payback_months", 2), ("clv_cac", 2),
                         })
                {
                    var field = fields[Array.IndexOf(CsvHeader, name)];
                    var json = cell.GetProperty(name);
                    if (json.ValueKind == JsonValueKind.Null)
                    {
                        Assert.Equal("", field);
                        continue;
                    }
                    Assert.Matches($"^-?[0-9]+\\.[0-9]{{{decimals}}}$", field);
                    var written = double.Parse(field, CultureInfo.InvariantCulture);
                    var expected = json.GetDouble();
                    Assert.True(Math.Abs(written - expected) <= 0.5 * Math.Pow(10, -decimals) + 1e-9 * Math.Abs(expected),
                        $"week {t} {fields[1]} {name}: CSV {field}, JSON {expected}");
                }
                Assert.Equal(cell.GetProperty("reason").GetString(), fields[Array.IndexOf(CsvHeader, "reason")]);
            }
    }

    [Fact]
    public async Task LatestIsTheNewestStoredPathAndOnlyAPathFoundIsStored()
    {
        var (ws, world) = await LoadedAsync(factory, 35);
        using var reader = ws.Reader();
        var url = $"/v1/workspaces/{ws.Id}/plans";

        // Refused and impossible requests store nothing.
        using (var ingest = ws.Ingest())
        {
            await (await ingest.PostAsJsonAsync(url, new { horizon_weeks = 27, current = world.CurrentPlan })).ReadProblemAsync(400);
            var name = world.Channels[0].Name;
            await (await ingest.PostAsJsonAsync(url, new
            {
                horizon_weeks = 2, current = world.CurrentPlan, limit_scope = "none",
                bounds = new Dictionary<string, object> { [name] = new { min = world.CurrentPlan[name] * 3 } },
            })).ReadProblemAsync(422);
        }
        Assert.Empty(await ws.SnapshotAsync("plans"));
        var none = await (await reader.GetAsync($"{url}/latest")).ReadProblemAsync(404);
        Assert.Contains("POST", none.GetProperty("detail").GetString());
        await (await reader.GetAsync($"{url}/latest?format=csv")).ReadProblemAsync(404);

        var first = await PlanAsync(ws, new { horizon_weeks = 2, current = world.CurrentPlan, limit_scope = "none" });
        var second = await PlanAsync(ws, new { horizon_weeks = 3, current = world.CurrentPlan, limit_scope = "none" });
        Assert.Equal(2, (await ws.SnapshotAsync("plans")).Count);
        var latest = await reader.GetFromJsonAsync<JsonElement>($"{url}/latest");
        Assert.Equal(second.GetProperty("id").GetString(), latest.GetProperty("id").GetString());
        Assert.Equal(3, latest.GetProperty("horizon_weeks").GetInt32());
        var latestCsv = (await reader.GetStringAsync($"{url}/latest?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal(3 * world.Channels.Count + 1, latestCsv.Length);
        // The older one is still there under its id.
        var older = await reader.GetFromJsonAsync<JsonElement>($"{url}/{first.GetProperty("id").GetString()}");
        Assert.True(JsonElement.DeepEquals(first, older));

        var unknown = Guid.CreateVersion7();
        var missing = await (await reader.GetAsync($"{url}/{unknown}")).ReadProblemAsync(404);
        Assert.Contains(unknown.ToString(), missing.GetProperty("detail").GetString());

        foreach (var route in new[] { $"{url}/latest", $"{url}/{first.GetProperty("id").GetString()}" })
        {
            var problem = await (await reader.GetAsync($"{route}?format=pdf")).ReadProblemAsync(400);
            var error = Assert.Single(problem.Errors());
            Assert.Equal("format", error.GetProperty("column").GetString());
            Assert.Equal("pdf", error.GetProperty("value").GetString());
            Assert.Contains("json, csv", error.GetProperty("reason").GetString());
        }

        // Another workspace's keys see no such path, by header or in the URL.
        var other = await factory.CreateWorkspaceAsync();
        using var stranger = other.Reader();
        using var anonymous = factory.ClientWithKey(null);
        foreach (var route in new[] { $"{url}/latest", $"{url}/{first.GetProperty("id").GetString()}" })
        {
            await (await stranger.GetAsync(route)).ReadProblemAsync(404);
            await (await anonymous.GetAsync($"{route}?format=csv&api_key={other.ReadKey}")).ReadProblemAsync(404);
            // Its own workspace has no such path either.
            await (await stranger.GetAsync(route.Replace(ws.Id, other.Id, StringComparison.Ordinal))).ReadProblemAsync(404);
        }
    }

    [Fact]
    public async Task TheDocumentListsTheFormatsAPathIsServedInAndItsCreatedAnswer()
    {
        using var client = factory.CreateClient();
        var paths = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.GetProperty("paths");
        foreach (var route in new[] { "/v1/workspaces/{ws}/plans/latest", "/v1/workspaces/{ws}/plans/{id}" })
        {
            var get = paths.GetProperty(route).GetProperty("get");
            var format = get.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "format");
            Assert.Equal("query", format.GetProperty("in").GetString());
            Assert.Equal(["json", "csv", "xlsx"], format.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
            Assert.True(get.GetProperty("responses").TryGetProperty("404", out _), $"{route} documents no 404");
        }
        Assert.True(paths.GetProperty("/v1/workspaces/{ws}/plans").GetProperty("post").GetProperty("responses").TryGetProperty("201", out _));
    }
}
