using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Walks every route the service maps under /v1/workspaces/{ws}, so a route added later is covered without
/// editing this test: another workspace's key must get 404, no key 401, and nothing may be written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IsolationTests(ApiFactory factory, Xunit.Abstractions.ITestOutputHelper output)
{
    private IReadOnlyList<(string Method, string Pattern, string ContentType)> WorkspaceRoutes() => WorkspaceRoutes(factory);

    /// <summary>Every (method, route pattern, first accepted content type) the host maps under /v1/workspaces/{ws}.</summary>
    public static IReadOnlyList<(string Method, string Pattern, string ContentType)> WorkspaceRoutes(ApiFactory host)
    {
        _ = host.Server; // builds the host
        var sources = host.Services.GetRequiredService<EndpointDataSource>();
        return sources.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/workspaces/{ws}", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m =>
                (m, e.RoutePattern.RawText!, e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json")))
            .ToList();
    }

    [Fact]
    public async Task EveryWorkspaceRouteAnswers404ToAnotherWorkspacesKeyAnd401WithoutKey()
    {
        var victim = await factory.CreateWorkspaceAsync();
        var attacker = await factory.CreateWorkspaceAsync();
        var before = new List<string>();
        foreach (var t in WorkspaceTables.All) before.AddRange(await victim.SnapshotAsync(t));

        var routes = WorkspaceRoutes();
        Assert.True(routes.Count >= 11, $"only {routes.Count} workspace routes found");
        var failures = new List<string>();
        foreach (var (method, pattern, contentType) in routes)
        {
            var path = PathOf(pattern, victim.Id);
            foreach (var (who, key, expected) in new[]
                     {
                         ("admin of another workspace", attacker.AdminKey, 404),
                         ("ingest of another workspace", attacker.IngestKey, 404),
                         ("read of another workspace", attacker.ReadKey, 404),
                         ("no key", (string?)null, 401),
                         ("a key that was never issued", "so_" + Guid.NewGuid().ToString("N"), 401),
                     })
            {
                var response = await SendAsync(key, method, path, contentType);
                if ((int)response.StatusCode != expected)
                    failures.Add($"{method} {pattern} with {who}: {(int)response.StatusCode}, expected {expected}");
            }
        }
        output.WriteLine($"{routes.Count * 5} cells: {routes.Count} routes × other workspace's admin, ingest and read keys, no key, a never-issued key");
        Assert.Empty(failures);

        var after = new List<string>();
        foreach (var t in WorkspaceTables.All) after.AddRange(await victim.SnapshotAsync(t));
        Assert.Equal(before, after);
    }

    /// <summary>
    /// The access policy, written out independently of the routes' metadata: reading needs a read key, loading data
    /// and requesting runs an ingest key, keys and the schedule an admin key.
    /// </summary>
    private static Role Policy(string method, string pattern) =>
        pattern.Contains("/keys", StringComparison.Ordinal) || (pattern.EndsWith("/schedule", StringComparison.Ordinal) && method != "GET") ? Role.Admin
        : method == "GET" ? Role.Read
        : Role.Ingest;

    [Fact]
    public async Task EveryRouteAdmitsExactlyTheRolesItsPolicyAllows()
    {
        var ws = await factory.CreateWorkspaceAsync();
        var failures = new List<string>();
        var cells = 0;
        foreach (var (method, pattern, contentType) in WorkspaceRoutes())
        {
            var needed = Policy(method, pattern);
            foreach (var (role, key) in new[] { (Role.Read, ws.ReadKey), (Role.Ingest, ws.IngestKey), (Role.Admin, ws.AdminKey), (Role.Admin, factory.OperatorKey) })
            {
                cells++;
                var response = await SendAsync(key, method, PathOf(pattern, ws.Id), contentType);
                var status = (int)response.StatusCode;
                var title = status >= 400 ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString() : null;
                var admitted = status is not (401 or 403) && title != "Workspace not found";
                if (admitted != (role >= needed))
                    failures.Add($"{method} {pattern} with a {role} key: {status} {title}; policy needs {needed}");
            }
        }
        output.WriteLine($"{cells} cells: {WorkspaceRoutes().Count} routes × read, ingest, admin and operator keys");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public static string PathOf(string pattern, string ws)
    {
        var path = pattern.Replace("{ws}", ws);
        path = Regex.Replace(path, "\\{[^}]+:guid\\}", Guid.NewGuid().ToString());
        return Regex.Replace(path, "\\{[^}]+\\}", "1");
    }

    /// <summary>A well-formed body of the route's own type, so only the key can decide the answer.</summary>
    private async Task<HttpResponseMessage> SendAsync(string? key, string method, string path, string contentType)
    {
        using var client = factory.ClientWithKey(key);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
            request.Content = contentType == "text/csv"
                ? TestWorkspace.Csv("channel\nsearch\n")
                : new StringContent("{\"role\":\"admin\"}", System.Text.Encoding.UTF8, contentType);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
