using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Cli;

namespace SpendOptimizer.Api.Tests.Readme;

/// <summary>The demo's keys and workspace, as scripts/demo.sh leaves them in .data/demo-keys.</summary>
public sealed record DemoWorkspace(string Id, string AdminKey, string IngestKey, string ReadKey);

/// <summary>
/// The API on a real port with the demo data scripts/demo.sh loads: `spendopt demo-data` written to a folder standing
/// for the repository's .data/demo/, and workspaces loaded from it through HTTP the way demo.sh loads `demo`.
/// </summary>
public sealed class DemoServer : IAsyncLifetime
{
    private readonly ApiFactory _host = new();
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("spendopt-readme-");

    public HttpClient Client { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string OperatorKey => _host.OperatorKey;

    /// <summary>Where a repository-relative data file (.data/demo/…) is for this run.</summary>
    public string DataFile(string repositoryRelative)
    {
        var path = Path.GetFullPath(Path.Combine(_root.FullName, repositoryRelative));
        if (!path.StartsWith(_root.FullName + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            throw new FileNotFoundException($"'{repositoryRelative}' is not a file scripts/run.sh writes (the demo has {string.Join(", ", DemoFiles())})");
        return path;
    }

    private IEnumerable<string> DemoFiles() =>
        Directory.EnumerateFiles(Path.Combine(_root.FullName, ".data", "demo")).Select(f => Path.GetRelativePath(_root.FullName, f).Replace('\\', '/'));

    public Task InitializeAsync()
    {
        var port = Ports.Free();
        _host.UseKestrel(port);
        _host.StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        var code = DemoDataCommand.Run(new Arguments(["--out", Path.Combine(_root.FullName, ".data", "demo")]));
        Assert.Equal(0, code);
        return Task.CompletedTask;
    }

    /// <summary>A new workspace loaded as scripts/demo.sh loads `demo`: keys, the four files, Markov, curves, today's plan, the schedule.</summary>
    public async Task<DemoWorkspace> LoadAsync()
    {
        var id = "demo-" + Guid.NewGuid().ToString("N")[..12];
        var created = await SendAsync(HttpMethod.Post, "/v1/workspaces", OperatorKey, Json(new { id, name = "Demo advertiser", time_zone = "Europe/London" }));
        var admin = created.GetProperty("admin_key").GetProperty("key").GetString()!;
        async Task<string> Issue(string role) =>
            (await SendAsync(HttpMethod.Post, $"/v1/workspaces/{id}/keys", admin, Json(new { role, label = $"demo {role}" }))).GetProperty("key").GetString()!;
        var ws = new DemoWorkspace(id, admin, await Issue("ingest"), await Issue("read"));

        foreach (var (route, method, file, query) in new[]
                 {
                     ("performance", HttpMethod.Put, "performance.csv", "?grain=week"), ("economics", HttpMethod.Put, "economics.csv", ""),
                     ("lift-tests", HttpMethod.Post, "lift-tests.csv", ""), ("paths", HttpMethod.Put, "paths.csv", ""),
                     ("customers", HttpMethod.Post, "customers.csv", ""), ("orders", HttpMethod.Post, "orders.csv", ""),
                 })
            await SendAsync(method, $"/v1/workspaces/{id}/{route}{query}", ws.IngestKey,
                new StringContent(await File.ReadAllTextAsync(DataFile(".data/demo/" + file)), Encoding.UTF8, "text/csv"));
        await SendAsync(HttpMethod.Post, $"/v1/workspaces/{id}/attribution-runs", ws.IngestKey, Json(new { model = "markov", source = "paths" }));
        await SendAsync(HttpMethod.Post, $"/v1/workspaces/{id}/response-curves/fit", ws.IngestKey, Json(new { }));
        var current = JsonDocument.Parse(await File.ReadAllTextAsync(DataFile(".data/demo/current.json"))).RootElement;
        await SendAsync(HttpMethod.Post, $"/v1/workspaces/{id}/recommendations", ws.IngestKey, Json(new { current }));
        await SendAsync(HttpMethod.Put, $"/v1/workspaces/{id}/schedule", ws.AdminKey, Json(new { cron = "0 6 * * 1", time_zone = "Europe/London" }));
        return ws;
    }

    private static JsonContent Json(object body) => JsonContent.Create(body);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string key, HttpContent body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Add("X-Api-Key", key);
        using var limit = new CancellationTokenSource(DocumentRun.RequestLimit);
        using var response = await Client.SendAsync(request, limit.Token);
        var text = await response.Content.ReadAsStringAsync(limit.Token);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        _root.Delete(recursive: true);
    }
}
