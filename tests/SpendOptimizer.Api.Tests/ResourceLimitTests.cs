using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Absurd problems answer a clear 4xx or finish within their limit, and store nothing when refused. Each test runs
/// its own host so it can set the limits it exercises.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ResourceLimitTests
{
    private static ApiFactory Host(params (string Key, string Value)[] settings) => new()
    {
        Configure = b =>
        {
            b.UseSetting("SpendOptimizer:MaxBodyBytes", (64 * 1024 * 1024).ToString());
            foreach (var (key, value) in settings) b.UseSetting("SpendOptimizer:" + key, value);
        },
    };

    /// <summary>Distinct paths of <paramref name="length"/> touches over <paramref name="channels"/> channels.</summary>
    private static string Paths(int count, int channels, int length, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("path,total_conversions,total_conversion_value,total_null\n");
        var seen = new HashSet<string>();
        while (seen.Count < count)
        {
            var path = string.Join(" > ", Enumerable.Range(0, length).Select(_ => $"c{rng.Next(channels)}"));
            if (seen.Add(path)) sb.Append(path).Append(',').Append(rng.Next(0, 3)).Append(",10,").Append(rng.Next(1, 20)).Append('\n');
        }
        return sb.ToString();
    }

    private static async Task<HttpResponseMessage> RunAsync(TestWorkspace ws, string model, object? parameters = null)
    {
        using var client = ws.Ingest();
        return await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model, source = "paths", parameters });
    }

    [Fact]
    public async Task OrderFourMarkovOverAHundredChannelsFinishesAndIsRefusedCleanlyPastItsStateLimitOrTimeLimit()
    {
        await using var roomy = Host();
        var ws = await roomy.CreateWorkspaceAsync();
        var put = await ws.Ingest().PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(Paths(3000, 100, 6, seed: 5)));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var done = await RunAsync(ws, "markov", new { order = 4, collapse_repeats = "states" });
        var run = await done.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)done.StatusCode == 201, run.ToString());
        Assert.Equal(100, run.GetProperty("channels").GetArrayLength());
        Assert.Equal(run.GetProperty("total_conversions").GetDouble(),
            run.GetProperty("channels").EnumerateArray().Sum(c => c.GetProperty("total_conversions").GetDouble()), 6);

        await using var small = Host(("MaxMarkovStates", "1000"));
        var refused = await (await RunAsync(await CopyAsync(small, ws), "markov", new { order = 4 })).ReadProblemAsync(422);
        Assert.Contains("states", refused.GetProperty("errors").GetProperty("order")[0].GetString());

        await using var hurried = Host(("AttributionTimeLimitSeconds", "0.001"));
        var copy = await CopyAsync(hurried, ws);
        var timedOut = await (await RunAsync(copy, "markov", new { order = 4 })).ReadProblemAsync(422);
        Assert.Equal("Time limit reached", timedOut.GetProperty("title").GetString());
        Assert.Empty(await copy.SnapshotAsync("attribution_runs"));
    }

    [Fact]
    public async Task APlanCutOffByItsTimeLimitKeepsNotEvenTheFitItMadeFirst()
    {
        await using var hurried = Host(("PlanningTimeLimitSeconds", "0.001"));
        var ws = await hurried.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SpendOptimizer.Worlds.SyntheticWorld.Generate(seed: 9));
        using var client = ws.Ingest();
        var plan = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { })).ReadProblemAsync(422);
        Assert.Equal("Time limit reached", plan.GetProperty("title").GetString());
        Assert.Contains("stored nothing", plan.GetProperty("detail").GetString());
        Assert.Empty(await ws.SnapshotAsync("recommendations"));
        Assert.Empty(await ws.SnapshotAsync("response_fits"));
    }

    /// <summary>The same stored paths in a new workspace of another host.</summary>
    private static async Task<TestWorkspace> CopyAsync(ApiFactory host, TestWorkspace from)
    {
        var to = await host.CreateWorkspaceAsync();
        var csv = await from.Reader().GetStringAsync($"/v1/workspaces/{from.Id}/paths?format=csv&limit=10000");
        var put = await to.Ingest().PutAsync($"/v1/workspaces/{to.Id}/paths", TestWorkspace.Csv(csv));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        return to;
    }

    [Fact]
    public async Task SeventyThousandChannelsAreRefusedByMarkovDataDrivenAndShapleyButNotByShapleyCount()
    {
        await using var host = Host();
        var ws = await host.CreateWorkspaceAsync();
        var sb = new StringBuilder("path,total_conversions,total_conversion_value,total_null\n");
        for (var c = 0; c < 70_000; c++) sb.Append("ch").Append(c).Append(",1,5,3\n");
        var put = await ws.Ingest().PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(sb.ToString()));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var markov = await (await RunAsync(ws, "markov")).ReadProblemAsync(422);
        Assert.Contains("65,534", markov.GetProperty("errors").GetProperty("model")[0].GetString());
        var dataDriven = await (await RunAsync(ws, "data_driven")).ReadProblemAsync(422);
        Assert.Contains("cells", dataDriven.GetProperty("errors").GetProperty("model")[0].GetString());
        var shapley = await (await RunAsync(ws, "shapley")).ReadProblemAsync(422);
        Assert.Contains("at most 20 channels", shapley.GetProperty("errors").GetProperty("model")[0].GetString());
        Assert.Contains("70,000", shapley.GetProperty("errors").GetProperty("model")[0].GetString());
        Assert.Empty(await ws.SnapshotAsync("attribution_runs"));

        var count = await RunAsync(ws, "shapley_count");
        Assert.Equal(201, (int)count.StatusCode);
        var credits = (await count.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("channels");
        Assert.Equal(70_000, credits.GetArrayLength());
        Assert.All(credits.EnumerateArray(), c => Assert.Equal(1, c.GetProperty("total_conversions").GetDouble(), 9));
    }

    [Fact]
    public async Task AHundredThousandChannelsOfPerformanceAreRefusedByCurvesAndPlansWithoutStoringAnything()
    {
        await using var host = Host();
        var ws = await host.CreateWorkspaceAsync();
        var sb = new StringBuilder("date,channel,spend,impressions,clicks,conversions,revenue,new_customers\n");
        for (var c = 0; c < 100_000; c++)
            for (var w = 0; w < 2; w++)
                sb.Append(w == 0 ? "2026-01-05" : "2026-01-12").Append(",ch").Append(c).Append(",100,10,1,1,10,1\n");
        var put = await ws.Ingest().PutAsync($"/v1/workspaces/{ws.Id}/performance?grain=week", TestWorkspace.Csv(sb.ToString()));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        using var client = ws.Ingest();
        var fit = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { })).ReadProblemAsync(422);
        Assert.Contains("100,000 channels", fit.GetProperty("errors").GetProperty("from")[0].GetString());
        var plan = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { })).ReadProblemAsync(422);
        Assert.Contains("MaxChannels", plan.GetProperty("detail").GetString());
        Assert.Empty(await ws.SnapshotAsync("response_fits"));
        Assert.Empty(await ws.SnapshotAsync("recommendations"));
    }
}
