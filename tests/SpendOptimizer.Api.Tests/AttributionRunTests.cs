using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AttributionRunTests(ApiFactory factory)
{
    [Fact]
    public async Task MarkovRunOnStoredPathsMatchesTheHandSolutionAndIsStored()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        // The chain solved on paper in the Core tests: credits a 10/11, b 6/11, c 6/11; value 65.625, 56.25, 28.125.
        const string paths = "path,total_conversions,total_conversion_value,total_null\na > b,1,100,1\na > c,1,50,0\nb,0,0,1\n";
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(paths))).EnsureSuccessStatusCode();

        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov" });
        var run = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(201, (int)created.StatusCode);
        Assert.Equal("paths", run.GetProperty("source").GetString());
        var credits = run.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel_name").GetString()!);
        Assert.Equal(10.0 / 11, credits["a"].GetProperty("total_conversions").GetDouble(), 9);
        Assert.Equal(28.125, credits["c"].GetProperty("total_conversion_value").GetDouble(), 9);
        Assert.Equal(5.0 / 6, credits["a"].GetProperty("removal_effect").GetDouble(), 9);
        Assert.True(run.GetProperty("diagnostics").GetProperty("converged").GetBoolean());

        var id = run.GetProperty("id").GetString();
        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/attribution-runs/{id}?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("channel_name,total_conversions,total_conversion_value,share,removal_effect", csv[0]);
        // Rounded for reading: a's credit 10/11, value 65.625 (on the half cent, so the solution's last bit decides), share 5/11
        // of the 2 conversions, removal effect 5/6.
        Assert.Matches(@"^a,0\.91,65\.6[23],0\.4545,0\.8333$", csv[1]);
        Assert.Equal(4, csv.Length);

        var list = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/attribution-runs?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal(4, list.Length);
        Assert.All(list.Skip(1), line => Assert.StartsWith(id, line));
        await (await client.GetAsync($"/v1/workspaces/{ws.Id}/attribution-runs/{Guid.NewGuid()}")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task RunOnTouchpointsBuildsJourneysInsideTheDatabaseWithinTheWindow()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        const string journeys = """
            journey_id,timestamp,event,channel,value
            j1,2025-03-01T10:00:00Z,touch,search,
            j1,2025-03-02T10:00:00Z,touch,social,
            j1,2025-03-02T11:00:00Z,conversion,,100
            j2,2025-03-03T10:00:00Z,touch,display,
            j3,2025-03-04T10:00:00Z,touch,search,
            j3,2025-03-04T11:00:00Z,conversion,,50
            j3,2025-03-05T10:00:00Z,touch,display,
            j4,2025-02-01T10:00:00Z,touch,display,
            j4,2025-02-01T11:00:00Z,conversion,,70
            """;
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(journeys))).EnsureSuccessStatusCode();

        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "linear", from = "2025-03-01", to = "2025-03-31" });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, run.ToString());
        // j1 (search, social → 100), j2 (display, no conversion), j3 (search → 50; the touch after it is ignored); j4 is before the window.
        Assert.Equal("touchpoints", run.GetProperty("source").GetString());
        Assert.Equal(3, run.GetProperty("journeys").GetDouble());
        Assert.Equal(2, run.GetProperty("total_conversions").GetDouble());
        var credits = run.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel_name").GetString()!);
        Assert.Equal(1.5, credits["search"].GetProperty("total_conversions").GetDouble(), 12);
        Assert.Equal(100, credits["search"].GetProperty("total_conversion_value").GetDouble(), 12);
        Assert.Equal(0.5, credits["social"].GetProperty("total_conversions").GetDouble(), 12);
        Assert.Equal(0, credits["display"].GetProperty("total_conversions").GetDouble(), 12);
    }

    [Fact]
    public async Task DataDrivenRunReportsItsHoldoutAuc()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var csv = new System.Text.StringBuilder("path,total_conversions,total_conversion_value,total_null\n");
        string[] channels = ["search", "social", "display", "email"];
        for (var i = 0; i < 200; i++)
        {
            var path = string.Join(" > ", Enumerable.Range(0, 1 + i % 3).Select(k => channels[(i * 7 + k * 3) % 4]));
            var converts = path.Contains("email") ? 3 + i % 4 : i % 2;
            csv.Append($"\"{path} > x{i % 50}\",{converts},{converts * 40},{10 + i % 7}\n");
        }
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(csv.ToString()))).EnsureSuccessStatusCode();
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "data_driven", parameters = new { seed = 2 } });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, run.ToString());
        Assert.InRange(run.GetProperty("diagnostics").GetProperty("auc").GetDouble(), 0.5, 1.0);
        Assert.Equal(run.GetProperty("total_conversions").GetDouble(),
            run.GetProperty("channels").EnumerateArray().Sum(c => c.GetProperty("total_conversions").GetDouble()), 6);
    }

    [Fact]
    public async Task UnknownModelOrParameterOutOfBoundsAnswersProblemNamingIt()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var badModel = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "magic" });
        Assert.True((await badModel.ReadProblemAsync(400)).GetProperty("errors").TryGetProperty("model", out _));
        var badOrder = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov", parameters = new { order = 7 } });
        Assert.True((await badOrder.ReadProblemAsync(400)).GetProperty("errors").TryGetProperty("parameters.order", out _));
        var nothing = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "linear" });
        await nothing.ReadProblemAsync(400);
        Assert.Empty(await ws.SnapshotAsync("attribution_runs"));
    }

    [Fact]
    public async Task MarkovReadsRepeatsAsStatesByDefaultOrAsChannelsAndSaysWhichAndRefusesTheOldBoolean()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        // The order-2 case solved on paper in the Core tests: states a 0.2, b 0.4, c 0.4; channels 1/3 each.
        const string paths = "path,total_conversions,total_conversion_value,total_null\na > b > b > b > c,1,10,0\nb > b,0,0,1\n";
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(paths))).EnsureSuccessStatusCode();

        async Task<JsonElement> Run(object parameters)
        {
            var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov", parameters });
            var run = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((int)created.StatusCode == 201, run.ToString());
            return run;
        }
        double Credit(JsonElement run, string channel) => run.GetProperty("channels").EnumerateArray()
            .Single(c => c.GetProperty("channel_name").GetString() == channel).GetProperty("total_conversions").GetDouble();

        var states = await Run(new { order = 2 });
        Assert.Equal("states", states.GetProperty("parameters").GetProperty("collapse_repeats").GetString());
        Assert.Equal("states", states.GetProperty("diagnostics").GetProperty("collapse_repeats").GetString());
        Assert.Equal(6, states.GetProperty("diagnostics").GetProperty("states").GetInt32());
        Assert.Equal(0.2, Credit(states, "a"), 9);
        Assert.Equal(0.4, Credit(states, "b"), 9);

        var channels = await Run(new { order = 2, collapse_repeats = "channels" });
        Assert.Equal("channels", channels.GetProperty("diagnostics").GetProperty("collapse_repeats").GetString());
        Assert.Equal(1.0 / 3, Credit(channels, "a"), 9);

        var old = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "markov", parameters = new { collapse_repeats = true } });
        var problem = await old.ReadProblemAsync(400);
        Assert.Contains("states, channels", problem.GetProperty("errors").GetProperty("parameters.collapse_repeats")[0].GetString());
        Assert.Equal(2, (await ws.SnapshotAsync("attribution_runs")).Count);
    }

    [Fact]
    public async Task ShapleyPlaysTheRateGameAndShapleyCountTheCountGame()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        // The three-channel rate game solved on paper in the Core tests: a 4, b 6.4, c 1.6 of 12 conversions.
        const string paths = """
            path,total_conversions,total_conversion_value,total_null
            a,1,10,9
            b,2,20,8
            a > b,2,20,3
            b > a > a,1,10,4
            c,0,0,10
            c > b,1,10,9
            a > b > c,5,50,5
            """;
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(paths))).EnsureSuccessStatusCode();
        async Task<Dictionary<string, double>> Run(string model)
        {
            var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model });
            var run = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((int)created.StatusCode == 201, run.ToString());
            Assert.Equal(model, run.GetProperty("model").GetString());
            return run.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel_name").GetString()!,
                c => c.GetProperty("total_conversions").GetDouble());
        }
        var rate = await Run("shapley");
        Assert.Equal(4, rate["a"], 9);
        Assert.Equal(6.4, rate["b"], 9);
        Assert.Equal(1.6, rate["c"], 9);
        // Each conversion split over its journey's distinct channels: a gets 1 + 2/2 + 1/2 + 5/3.
        var count = await Run("shapley_count");
        Assert.Equal(1 + 1 + 0.5 + 5.0 / 3, count["a"], 9);
    }
}
