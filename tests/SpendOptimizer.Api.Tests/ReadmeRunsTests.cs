using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Api.Tests.Readme;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Every curl of README.md and every request of src/SpendOptimizer.Api/SpendOptimizer.Api.http, run in order over real
/// HTTP against a workspace loaded with the demo scripts/run.sh loads, answers the status written next to it.
/// README commands get the variables its examples use ($url, $SPENDOPT_ADMIN_KEY and the demo's $ADMIN, $INGEST,
/// $READ); workspace `demo` stands for the loaded one and `acme` for a new id. The .http file's @base, @ws, @newWs and
/// key variables are set the same way.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReadmeRunsTests(ApiFactory factory, ReadmeRunsTests.Documents documents) : IClassFixture<ReadmeRunsTests.Documents>
{
    private const string HttpFile = "src/SpendOptimizer.Api/SpendOptimizer.Api.http";

    private static string Read(string path) => File.ReadAllText(Path.Combine(RepositoryFiles.Root(), path));

    private static List<CurlExample> ReadmeCurls(Func<string, string> rewrite) => CurlExample.FromMarkdown(Read("README.md"), "README.md", rewrite);

    private static (Dictionary<string, string> Variables, List<HttpFileRequest> Requests) HttpRequests() =>
        HttpFileRequest.Parse(Read(HttpFile), HttpFile, Path.GetDirectoryName(HttpFile)!);

    public static TheoryData<int, string> ReadmeCases() => Cases(ReadmeCurls(s => s));

    public static TheoryData<int, string> HttpFileCases() => Cases(HttpRequests().Requests);

    private static TheoryData<int, string> Cases(IEnumerable<DocumentedRequest> requests)
    {
        var data = new TheoryData<int, string>();
        foreach (var (request, i) in requests.Select((r, i) => (r, i))) data.Add(i, request.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(ReadmeCases))]
    public async Task ReadmeCurlAnswersItsDocumentedStatus(int index, string request) =>
        AssertOutcome(await (await documents.ReadmeAsync()).RunThroughAsync(index), (await documents.ReadmeAsync()).Requests[index], request);

    [Theory]
    [MemberData(nameof(HttpFileCases))]
    public async Task HttpFileRequestAnswersItsDocumentedStatus(int index, string request) =>
        AssertOutcome(await (await documents.HttpFileAsync()).RunThroughAsync(index), (await documents.HttpFileAsync()).Requests[index], request);

    private static void AssertOutcome(RequestOutcome outcome, DocumentedRequest request, string label)
    {
        Assert.Equal(label, request.ToString());
        Assert.True(outcome.Error is null, $"{request}: {outcome.Error}");
        var body = outcome.Body.Length > 1500 ? outcome.Body[..1500] + "…" : outcome.Body;
        Assert.True(outcome.Status == request.ExpectedStatus, $"{request}: expected {request.ExpectedStatus}, got {outcome.Status}: {body}");
        if (request.MayBeEmpty || outcome.Status is not (>= 200 and < 300)) return;
        // An example over a window or a workspace without data answers a bare header: it shows nothing.
        if (outcome.MediaType == "text/csv")
            Assert.True(outcome.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1, $"{request}: the CSV has no rows: {body}");
        else if (outcome.MediaType == "application/json" && JsonDocument.Parse(outcome.Body).RootElement is { ValueKind: JsonValueKind.Object } json
                 && json.TryGetProperty("items", out var items))
            Assert.True(items.GetArrayLength() > 0, $"{request}: no items: {body}");
    }

    [Fact]
    public void ReadmeShowsCurlsForEveryStageOfTheDemo()
    {
        var routes = ReadmeCurls(s => s).Select(c => Regex.Match(c.Command, @"/v1/workspaces(/\w+/([\w-]+))?").Groups[2].Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "", "keys", "performance", "touchpoints", "paths", "attribution-runs", "recommendations", "schedule", "kpis" }, routes);
    }

    /// <summary>
    /// The .http file holds exactly one request per route the host maps (a route added later needs one), and besides it
    /// at most one sent with Prefer: respond-async.
    /// </summary>
    [Fact]
    public void HttpFileHasExactlyOneRequestPerRoute()
    {
        _ = factory.Server;
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToList();
        Assert.True(routes.Count >= 39, $"only {routes.Count} routes found");
        var (variables, requests) = HttpRequests();
        Assert.True(variables.ContainsKey("base"));
        var problems = new List<string>();
        var covered = routes.ToDictionary(r => r, _ => 0);
        var jobs = new HashSet<string>();
        foreach (var request in requests)
        {
            // {{base}} is the host; an id taken from an earlier answer is a GUID.
            var path = request.Url.Replace("{{base}}", "").Split('?')[0];
            path = Regex.Replace(path, @"\{\{\w+\.response\.body\.[^}]+\}\}", Guid.Empty.ToString());
            path = Regex.Replace(path, @"\{\{\w+\}\}", "value");
            var matches = routes.Where(r => r.StartsWith(request.Method + " ", StringComparison.Ordinal) && RouteRegex(r[(request.Method.Length + 1)..]).IsMatch(path)).ToList();
            if (matches.Count != 1) problems.Add($"{request}: matches {matches.Count} routes");
            var asJob = request.Headers.Any(h => h.Name.Equals("Prefer", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("respond-async", StringComparison.OrdinalIgnoreCase));
            foreach (var m in matches)
                if (!asJob) covered[m]++;
                else if (!jobs.Add(m)) problems.Add($"{request}: a second request of {m} sent as a job");
        }
        problems.AddRange(covered.Where(kv => kv.Value != 1).Select(kv => $"{kv.Key}: {kv.Value} requests in {HttpFile}"));
        Assert.Empty(problems);
    }

    private static Regex RouteRegex(string pattern) =>
        new("^" + Regex.Replace(Regex.Escape(pattern).Replace(@"\{", "{"), @"\{(\w+)(:guid)?\}",
            m => m.Groups[2].Success ? "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" : "[^/]+") + "$");

    /// <summary>The demo server and, made on first use, one loaded workspace per document with its run.</summary>
    public sealed class Documents : IAsyncLifetime
    {
        private readonly DemoServer _server = new();
        private readonly Lazy<Task<DocumentRun>> _readme;
        private readonly Lazy<Task<DocumentRun>> _httpFile;

        public Documents()
        {
            _readme = new(ReadmeRunAsync);
            _httpFile = new(HttpFileRunAsync);
        }

        public Task<DocumentRun> ReadmeAsync() => _readme.Value;
        public Task<DocumentRun> HttpFileAsync() => _httpFile.Value;

        private async Task<DocumentRun> ReadmeRunAsync()
        {
            var ws = await _server.LoadAsync();
            var newWorkspace = "acme-" + Guid.NewGuid().ToString("N")[..12];
            string Rewrite(string s) => Regex.Replace(Regex.Replace(s, @"(?<=/v1/workspaces/)demo\b", ws.Id), @"\bacme\b", newWorkspace);
            var context = new RunContext(new Dictionary<string, string>
            {
                ["url"] = _server.BaseUrl, ["SPENDOPT_ADMIN_KEY"] = _server.OperatorKey,
                ["ADMIN"] = ws.AdminKey, ["INGEST"] = ws.IngestKey, ["READ"] = ws.ReadKey,
            }, _server.DataFile);
            return new DocumentRun(ReadmeCurls(Rewrite), context, _server.Client);
        }

        private async Task<DocumentRun> HttpFileRunAsync()
        {
            var ws = await _server.LoadAsync();
            var (variables, requests) = HttpRequests();
            var set = new Dictionary<string, string>
            {
                ["base"] = _server.BaseUrl, ["ws"] = ws.Id, ["newWs"] = "acme-" + Guid.NewGuid().ToString("N")[..12], ["operatorKey"] = _server.OperatorKey,
                ["adminKey"] = ws.AdminKey, ["ingestKey"] = ws.IngestKey, ["readKey"] = ws.ReadKey,
            };
            var missing = set.Keys.Where(k => !variables.ContainsKey(k)).ToList();
            if (missing.Count > 0) throw new FormatException($"{HttpFile} no longer declares @{string.Join(", @", missing)}");
            foreach (var (k, v) in set) variables[k] = v;
            return new DocumentRun(requests, new RunContext(variables, _server.DataFile), _server.Client);
        }

        public Task InitializeAsync() => _server.InitializeAsync();

        public Task DisposeAsync() => _server.DisposeAsync();
    }
}
