using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

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
        var narrow = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality?prior_sd=0.5&as_of=2026-01-01");
        Assert.Equal(0.5, narrow.GetProperty("rule").GetProperty("prior_sd").GetDouble());
        Assert.Equal("2026-01-01", narrow.GetProperty("as_of").GetString());
        var untested = world.Channels.Single(c => !world.LiftTests.Any(t => t.Channel == c.Name)).Name;
        Assert.Equal(0.5, narrow.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == untested).GetProperty("sd").GetDouble());

        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/incrementality?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("channel,mean,sd,lower_90,upper_90,prior_only,tests_used,journey_mean,journey_sd,efficiency_mean,efficiency_sd,log_mean,log_sd", csv[0]);
        Assert.Equal(world.Channels.Count + 1, csv.Length);

        // Asked for, the untested channel also leans on the tested channels' value per spend: evidence shown, factor narrower.
        JsonElement Untested(JsonElement b) => b.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == untested);
        var peers = Untested(await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality?efficiency_prior=true"));
        Assert.Equal(JsonValueKind.Null, Untested(body).GetProperty("efficiency_prior").ValueKind);
        var evidence = peers.GetProperty("efficiency_prior");
        Assert.Equal(world.LiftTests.Select(t => t.Channel).Distinct().Count(), evidence.GetProperty("channels").GetInt32());
        Assert.True(evidence.GetProperty("attributed_value_per_spend").GetDouble() > 0);
        Assert.True(peers.GetProperty("log_sd").GetDouble() < Untested(body).GetProperty("log_sd").GetDouble(), peers.ToString());
    }

    [Fact]
    public async Task AnUntestedChannelLeansOnJourneyAttributionScaledByTheTestedChannels()
    {
        // Seed 8: platform-reported conversions overstate podcasts, the one channel never lift-tested, about twice over;
        // its own weekly series cannot show that, its journey credit against the tested channels' can.
        var world = SyntheticWorld.Generate(seed: 8);
        var podcasts = world.Channels[^1];
        Assert.DoesNotContain(world.LiftTests, t => t.Channel == podcasts.Name);
        var ws = await factory.CreateWorkspaceAsync();
        var runId = await WorldLoader.LoadAsync(ws, world, journeys: true);
        using var client = ws.Ingest();

        var journeys = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality");
        var flat = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality?untested_prior=flat");
        Assert.Equal("journeys", journeys.GetProperty("rule").GetProperty("untested_prior").GetString());
        Assert.Equal(runId, journeys.GetProperty("journey_run_id").GetString());
        Assert.Equal(JsonValueKind.Null, flat.GetProperty("journey_run_id").ValueKind);
        static Dictionary<string, JsonElement> ByChannel(JsonElement body) =>
            body.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!);
        var (j, f) = (ByChannel(journeys), ByChannel(flat));

        var truth = 1 / podcasts.AttributionBias;
        var p = j[podcasts.Name];
        Assert.True(p.GetProperty("prior_only").GetBoolean());
        Assert.Equal(5, p.GetProperty("journey_prior").GetProperty("channels").GetInt32());
        Assert.Equal(1, f[podcasts.Name].GetProperty("mean").GetDouble());
        Assert.Equal(JsonValueKind.Null, f[podcasts.Name].GetProperty("journey_prior").ValueKind);
        var mean = p.GetProperty("mean").GetDouble();
        Assert.True(Math.Abs(mean - truth) < 0.5 * Math.Abs(1 - truth), $"journeys {mean:F2}, flat 1, true {truth:F2}");
        Assert.InRange(truth, p.GetProperty("lower_90").GetDouble(), p.GetProperty("upper_90").GetDouble());
        Assert.True(p.GetProperty("sd").GetDouble() < 0.5, p.ToString());
        // Tested channels are untouched.
        foreach (var c in world.Channels.SkipLast(1))
        {
            Assert.Equal(f[c.Name].GetProperty("mean").GetDouble(), j[c.Name].GetProperty("mean").GetDouble());
            Assert.Equal(JsonValueKind.Null, j[c.Name].GetProperty("journey_prior").ValueKind);
        }

        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/incrementality?format=csv")).TrimEnd().Split("\r\n");
        var journeyMean = Array.IndexOf(csv[0].Split(','), "journey_mean");
        Assert.Single(csv.Skip(1), row => row.Split(',')[journeyMean] != "");
        Assert.StartsWith(podcasts.Name + ",", csv.Skip(1).Single(row => row.Split(',')[journeyMean] != ""));

        // Curves fitted now carry that factor, and say where it came from.
        var fit = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { })).Content.ReadFromJsonAsync<JsonElement>();
        var curve = fit.GetProperty("curves").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == podcasts.Name);
        Assert.Equal(mean, curve.GetProperty("factor_mean").GetDouble(), 9);
        Assert.Contains(curve.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains($"journey attribution (run {runId})"));

        // A fit that asks for the flat prior is newer; the first stays readable by its id.
        var flatFit = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { calibration = new { untested_prior = "flat" } });
        Assert.True(flatFit.IsSuccessStatusCode, await flatFit.Content.ReadAsStringAsync());
        double FactorOf(JsonElement body) => body.GetProperty("curves").EnumerateArray()
            .Single(c => c.GetProperty("channel").GetString() == podcasts.Name).GetProperty("factor_mean").GetDouble();
        Assert.Equal(1, FactorOf(await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/response-curves")));
        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/response-curves?fit_id={fit.GetProperty("id").GetString()}");
        Assert.Equal(fit.GetProperty("id").GetString(), first.GetProperty("id").GetString());
        Assert.Equal(mean, FactorOf(first), 9);

        // A newer run of another model becomes the default source; a request that names a run reads that one throughout.
        var linear = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/attribution-runs", new { model = "linear", source = "paths" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var linearId = linear.GetProperty("id").GetString();
        var latest = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality");
        Assert.Equal(linearId, latest.GetProperty("journey_run_id").GetString());
        Assert.NotEqual(mean, ByChannel(latest)[podcasts.Name].GetProperty("mean").GetDouble());
        var named = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality?attribution_run_id={runId}");
        Assert.Equal(runId, named.GetProperty("journey_run_id").GetString());
        Assert.Equal(runId, named.GetProperty("attribution_run_id").GetString());
        var namedFit = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { attribution_run_id = runId }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ByChannel(named)[podcasts.Name].GetProperty("mean").GetDouble(), FactorOf(namedFit), 9);
        Assert.Contains(namedFit.GetProperty("curves").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == podcasts.Name)
            .GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains($"journey attribution (run {runId})"));
    }

    [Fact]
    public async Task PooledTheUntestedChannelStartsFromTheTestedChannelsFactors()
    {
        var world = SyntheticWorld.Generate(seed: 8);
        var untested = world.Channels[^1].Name;
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        static Dictionary<string, JsonElement> ByChannel(JsonElement body) =>
            body.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!);
        var flat = ByChannel(await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality"));
        var pooled = ByChannel(await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/incrementality?pool_tested=true"));

        Assert.Equal(1, flat[untested].GetProperty("mean").GetDouble());
        // The tested channels' log factors as answered: their mean μ and spread s² predict one more channel with variance
        // v = max(s², mean log sd²)·(1 + 1/n)·(n − 1)/(n − 3), combined with the flat prior's log N(−ln 2/2, ln 2) by precision.
        var tested = pooled.Where(kv => kv.Key != untested).Select(kv => kv.Value).ToList();
        var n = tested.Count;
        var mu = tested.Average(t => t.GetProperty("log_mean").GetDouble());
        var spread = tested.Sum(t => Math.Pow(t.GetProperty("log_mean").GetDouble() - mu, 2)) / (n - 1);
        var noise = tested.Average(t => Math.Pow(t.GetProperty("log_sd").GetDouble(), 2));
        var v = Math.Max(spread, noise) * (1 + 1.0 / n) * (n - 1) / (n - 3.0);
        var precision = 1 / Math.Log(2) + 1 / v;
        var u = pooled[untested];
        Assert.Equal((-0.5 + mu / v) / precision, u.GetProperty("log_mean").GetDouble(), 9);
        Assert.Equal(1 / Math.Sqrt(precision), u.GetProperty("log_sd").GetDouble(), 9);
        Assert.NotEqual(1, u.GetProperty("mean").GetDouble(), 3);
        Assert.Contains(u.GetProperty("skipped").EnumerateArray(), s => s.GetString()!.StartsWith("pooled:"));
        foreach (var c in world.Channels.SkipLast(1))
            Assert.Equal(flat[c.Name].GetProperty("mean").GetDouble(), pooled[c.Name].GetProperty("mean").GetDouble());
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
