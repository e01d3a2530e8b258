using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Api.Tests.Hostile.HostileAnswers;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// One host for the accepted edge cases, and one workspace per case loaded once: the attribution sweep and the planning
/// sweep of a case run on the same workspace as separate tests.
/// </summary>
public sealed class AcceptedCaseHost : IAsyncDisposable
{
    public ApiFactory Host { get; } = HostileHost.Create();

    private readonly ConcurrentDictionary<string, Lazy<Task<TestWorkspace>>> _loaded = new();

    public Task<TestWorkspace> WorkspaceAsync(AcceptedCase c) =>
        _loaded.GetOrAdd(c.Name, _ => new Lazy<Task<TestWorkspace>>(() => LoadAsync(c))).Value;

    private async Task<TestWorkspace> LoadAsync(AcceptedCase c)
    {
        var ws = await Host.CreateWorkspaceAsync();
        if (c.World) await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 9));
        using var client = ws.Ingest();
        foreach (var u in c.Uploads)
        {
            using var request = new HttpRequestMessage(new HttpMethod(u.Method), $"/v1/workspaces/{ws.Id}/{u.Route}{u.Query}")
            {
                Content = new StringContent(u.Csv, Encoding.UTF8, "text/csv"),
            };
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{c.Name}: the {u.Route} upload is an accepted edge case but was refused: {(int)response.StatusCode} {Short(text)}");
        }
        return ws;
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Nothing accepted can break a later request: after each accepted edge case of the upload routes
/// (<see cref="AcceptedEdgeCases"/>), every read and command route of that workspace answers without a 5xx; a route
/// the data cannot support refuses with a 4xx problem details that says why.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AcceptedHostileUploadTests(AcceptedCaseHost fixture) : IClassFixture<AcceptedCaseHost>
{
    public static IEnumerable<object[]> Cases() => AcceptedEdgeCases.All.Select(c => new object[] { c.Name });

    private static AcceptedCase Case(string name) => AcceptedEdgeCases.All.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryAttributionModelAnswersWithoutA5xxAfterAnAcceptedEdgeCase(string name)
    {
        var ws = await fixture.WorkspaceAsync(Case(name));
        var sweep = new Sweep(ws);
        using var client = ws.Ingest();
        using var reader = ws.Reader();
        var models = await reader.GetFromJsonAsync<JsonElement>("/v1/models");
        var attribution = (models.ValueKind == JsonValueKind.Array ? models : models.GetProperty("items")).EnumerateArray()
            .Where(m => m.GetProperty("stage").GetString() == "attribution").Select(m => m.GetProperty("name").GetString()!).ToList();
        Assert.Contains("markov", attribution);
        foreach (var model in attribution)
            foreach (var source in new[] { "paths", "touchpoints" })
                await sweep.PostAsync(client, "attribution-runs", new { model, source });
        await sweep.PostAsync(client, "attribution-runs", new { model = "markov", source = "paths", parameters = new { order = 2 } });
        await sweep.PostAsync(client, "attribution-runs", new { model = "markov", source = "paths", parameters = new { order = 3, collapse_repeats = "channels" } });
        await sweep.GetAsync(reader, "attribution-runs");
        await sweep.GetAsync(reader, "attribution-runs?format=csv");
        foreach (var id in sweep.CreatedIds.Select(i => i.Id).ToList())
        {
            await sweep.GetAsync(reader, $"attribution-runs/{id}");
            await sweep.GetAsync(reader, $"attribution-runs/{id}?format=csv");
        }
        await sweep.GetAsync(reader, "incrementality");
        await sweep.GetAsync(reader, "incrementality?untested_prior=flat");
        sweep.AssertNo5xx();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CurvesPlansAndReportsAnswerWithoutA5xxAfterAnAcceptedEdgeCase(string name)
    {
        var ws = await fixture.WorkspaceAsync(Case(name));
        var sweep = new Sweep(ws);
        using var client = ws.Ingest();
        using var reader = ws.Reader();
        await sweep.PostAsync(client, "attribution-runs", new { model = "markov" });
        await sweep.GetAsync(reader, "incrementality");
        await sweep.PostAsync(client, "response-curves/fit", new { });
        await sweep.GetAsync(reader, "response-curves");
        var plans = new object[]
        {
            new { }, new { limit_scope = "none" }, new { limit_scope = "blended" }, new { limit_scope = "both" },
            new { limit_scope = "none", parameters = new { objective = "revenue" } },
            new { limit_scope = "none", parameters = new { objective = "conversions" } },
            new { limit_scope = "none", parameters = new { objective = "profit" } },
            new { budget_mode = "cap", parameters = new { draws = 0, test_value_lines = 0 } },
        };
        foreach (var plan in plans) await sweep.PostAsync(client, "recommendations", plan);
        await sweep.GetAsync(reader, "recommendations");
        await sweep.GetAsync(reader, "recommendations?format=csv");
        await sweep.GetAsync(reader, "recommendations/latest");
        await sweep.GetAsync(reader, "recommendations/latest?format=csv");
        await sweep.GetAsync(reader, "recommendations/latest?format=xlsx");
        await sweep.GetAsync(reader, "recommendations/latest/report");
        await sweep.GetAsync(reader, "recommendations/accuracy");
        foreach (var id in sweep.CreatedIds.Where(i => i.Route == "recommendations").Select(i => i.Id).ToList())
        {
            await sweep.GetAsync(reader, $"recommendations/{id}?format=xlsx");
            await sweep.GetAsync(reader, $"recommendations/{id}/report");
            await sweep.GetAsync(reader, $"recommendations/{id}/outcome");
        }
        sweep.AssertNo5xx();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task KpisSignalsAndListsAnswerWithoutA5xxAfterAnAcceptedEdgeCase(string name)
    {
        var ws = await fixture.WorkspaceAsync(Case(name));
        var sweep = new Sweep(ws);
        using var reader = ws.Reader();
        foreach (var route in new[] { "kpis", "kpis?grain=week", "kpis?grain=month", "forecast", "forecast?metric=spend", "forecast?metric=revenue", "anomalies", "anomalies?threshold=1" })
            await sweep.GetAsync(reader, route);
        foreach (var list in new[] { "performance", "touchpoints", "paths", "lift-tests", "economics", "attribution-runs", "recommendations" })
            foreach (var format in new[] { "", "?format=csv", "?format=xlsx", "?limit=1" })
                await sweep.GetAsync(reader, list + format);
        sweep.AssertNo5xx();
    }

    /// <summary>Requests of one test: every answer is below 500, and a 4xx is problem details that names why.</summary>
    private sealed class Sweep(TestWorkspace ws)
    {
        private readonly List<string> _failures = [];
        public List<(string Route, string Id)> CreatedIds { get; } = [];

        public async Task PostAsync(HttpClient client, string route, object body)
        {
            using var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/{route}", body);
            var text = await CheckAsync(response, $"POST {route} {JsonSerializer.Serialize(body)}");
            if ((int)response.StatusCode == 201 && JsonDocument.Parse(text).RootElement.TryGetProperty("id", out var id))
                CreatedIds.Add((route, id.ToString()));
        }

        public async Task GetAsync(HttpClient client, string route)
        {
            using var response = await client.GetAsync($"/v1/workspaces/{ws.Id}/{route}");
            await CheckAsync(response, $"GET {route}");
        }

        private async Task<string> CheckAsync(HttpResponseMessage response, string what)
        {
            var status = (int)response.StatusCode;
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var media = response.Content.Headers.ContentType?.MediaType;
            var text = media is "application/json" or "application/problem+json" or "text/csv" or "text/html" ? Encoding.UTF8.GetString(bytes) : "";
            if (status >= 500) _failures.Add($"{what}: {status} {Short(text)}");
            else if (status >= 400)
            {
                if (media != "application/problem+json") _failures.Add($"{what}: {status} is not problem details ({media})");
                else
                {
                    var problem = JsonDocument.Parse(text).RootElement;
                    if (!problem.TryGetProperty("detail", out var detail) && !problem.TryGetProperty("errors", out _))
                        _failures.Add($"{what}: {status} does not say why: {Short(text)}");
                    else if (detail.ValueKind == JsonValueKind.String && detail.GetString()!.Length == 0)
                        _failures.Add($"{what}: {status} has an empty detail");
                    if (LeakIn(text) is { } leak) _failures.Add($"{what}: {status} carries internal text '{leak}'");
                }
            }
            return text;
        }

        public void AssertNo5xx() => Assert.True(_failures.Count == 0, $"{_failures.Count} answers failed:\n" + string.Join("\n", _failures.Take(40)));
    }
}
