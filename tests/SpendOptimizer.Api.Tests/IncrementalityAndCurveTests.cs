using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Core.Simulation;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class IncrementalityAndCurveTests(ApiFactory factory)
{
    [Fact]
    public async Task FactorsRecoverTheWorldsAttributionBiasWithinTheirUncertainty()
    {
        var world = SyntheticWorld.Generate(seed: 11);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Reader();
        var body = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality");
        var factors = body.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!);
        Assert.Equal(world.Channels.Count, factors.Count);
        foreach (var channel in world.Channels)
        {
            var f = factors[channel.Name];
            var tested = world.LiftTests.Any(t => t.Channel == channel.Name);
            Assert.Equal(!tested, f.GetProperty("prior_only").GetBoolean());
            if (!tested) continue;
            var truth = 1 / channel.AttributionBias;
            var mean = f.GetProperty("mean").GetDouble();
            var sd = f.GetProperty("sd").GetDouble();
            Assert.True(Math.Abs(mean - truth) <= 3 * sd + 0.05 * truth, $"{channel.Name}: factor {mean:F3} ± {sd:F3}, true {truth:F3}");
            Assert.True(f.GetProperty("lower_90").GetDouble() < mean && mean < f.GetProperty("upper_90").GetDouble());
        }
        Assert.Contains("precision-weighted", body.GetProperty("rule").GetProperty("description").GetString());

        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/incrementality?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("channel,mean,sd,lower_90,upper_90,prior_only,tests_used", csv[0]);
        Assert.Equal(world.Channels.Count + 1, csv.Length);
    }

    [Fact]
    public async Task FittedCurvesTrackTheTrueResponseOfCalibratedChannelsAndArePlottable()
    {
        var world = SyntheticWorld.Generate(seed: 12);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { });
        var fit = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, fit.ToString());

        var curves = fit.GetProperty("curves").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!);
        foreach (var channel in world.Channels.Where(c => world.LiftTests.Any(t => t.Channel == c.Name)))
        {
            var c = curves[channel.Name];
            var spend = c.GetProperty("current_spend").GetDouble();
            var at = c.GetProperty("points").EnumerateArray().MinBy(p => Math.Abs(p.GetProperty("spend").GetDouble() - spend));
            var s = at.GetProperty("spend").GetDouble();
            var fitted = at.GetProperty("response").GetDouble();
            var truth = channel.SteadyState(s);
            Assert.True(Math.Abs(fitted / truth - 1) <= 0.30, $"{channel.Name} at {s:F0}: fitted {fitted:F1}, true {truth:F1}");
            Assert.True(c.GetProperty("beta").GetProperty("lower_90").GetDouble() <= c.GetProperty("beta").GetProperty("value").GetDouble());
        }
        var untested = world.Channels.Single(c => world.LiftTests.All(t => t.Channel != c.Name)).Name;
        Assert.Contains(curves[untested].GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("no lift test"));

        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/response-curves?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("channel,spend,response,marginal", csv[0]);
        Assert.Equal(curves.Count * 41 + 1, csv.Length);
    }

    [Fact]
    public async Task CurvesBeforeAnyDataOrWithBadParametersAnswerProblems()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        await (await client.GetAsync($"/v1/workspaces/{ws.Id}/response-curves")).ReadProblemAsync(404);
        await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { })).ReadProblemAsync(400);
        var bad = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { parameters = new { theta = 2 } });
        Assert.True((await bad.ReadProblemAsync(400)).GetProperty("errors").TryGetProperty("parameters.theta", out _));
    }
}
