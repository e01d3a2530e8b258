using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Walks every route the service maps under /v1/workspaces/{ws}, so a route added later is covered without
/// editing this test: another workspace's key must get 404, no key 401, and nothing may be written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IsolationTests(ApiFactory factory)
{
    private static readonly string[] Tables = ["channel_performance", "touchpoints", "paths", "lift_tests", "unit_economics", "api_keys", "attribution_runs", "response_fits", "recommendations", "schedules", "schedule_runs"];

    private IReadOnlyList<(string Method, string Pattern, string ContentType)> WorkspaceRoutes()
    {
        _ = factory.Server; // builds the host
        var sources = factory.Services.GetRequiredService<EndpointDataSource>();
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
        foreach (var t in Tables) before.AddRange(await victim.SnapshotAsync(t));

        var routes = WorkspaceRoutes();
        Assert.True(routes.Count >= 11, $"only {routes.Count} workspace routes found");
        var failures = new List<string>();
        foreach (var (method, pattern, contentType) in routes)
        {
            var path = pattern.Replace("{ws}", victim.Id);
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+:guid\\}", Guid.NewGuid().ToString());
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", "1");
            foreach (var (who, key, expected) in new[]
                     {
                         ("admin of another workspace", attacker.AdminKey, 404),
                         ("ingest of another workspace", attacker.IngestKey, 404),
                         ("read of another workspace", attacker.ReadKey, 404),
                         ("no key", (string?)null, 401),
                     })
            {
                using var client = factory.ClientWithKey(key);
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                // A well-formed body of the route's own type, so only the key can decide the answer.
                if (method is "POST" or "PUT")
                    request.Content = contentType == "text/csv"
                        ? TestWorkspace.Csv("channel\nsearch\n")
                        : new StringContent("{\"role\":\"admin\"}", System.Text.Encoding.UTF8, contentType);
                var response = await client.SendAsync(request);
                if ((int)response.StatusCode != expected)
                    failures.Add($"{method} {pattern} with {who}: {(int)response.StatusCode}, expected {expected}");
            }
        }
        Assert.Empty(failures);

        var after = new List<string>();
        foreach (var t in Tables) after.AddRange(await victim.SnapshotAsync(t));
        Assert.Equal(before, after);
    }
}
