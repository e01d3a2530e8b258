using System.Text;
using Microsoft.AspNetCore.Hosting;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>Every route that takes a body caps it: 64 KB here for all but touchpoints, which are allowed 256 KB.</summary>
[Collection(ApiCollection.Name)]
public sealed class BodyLimitTests
{
    private const int General = 64 * 1024, Touchpoints = 256 * 1024;

    private static ApiFactory Host() => new()
    {
        Configure = b =>
        {
            b.UseSetting("SpendOptimizer:MaxBodyBytes", General.ToString());
            b.UseSetting("SpendOptimizer:MaxTouchpointBodyBytes", Touchpoints.ToString());
        },
    };

    private static HttpContent Body(int bytes, string contentType, bool declareLength = true)
    {
        var text = contentType == "text/csv" ? "a,b\n" + new string('x', bytes) : "{\"x\":\"" + new string('x', bytes) + "\"}";
        var data = Encoding.UTF8.GetBytes(text);
        HttpContent content = declareLength ? new ByteArrayContent(data) : new StreamContent(new UnknownLengthStream(data));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    [Fact]
    public async Task EveryRouteWithABodyAnswers413PastItsOwnLimitAndStoresNothing()
    {
        await using var host = Host();
        var ws = await host.CreateWorkspaceAsync();
        var before = new List<string>();
        foreach (var t in WorkspaceTables.All) before.AddRange(await ws.SnapshotAsync(t));
        var routes = IsolationTests.WorkspaceRoutes(host).Where(r => r.Method is "POST" or "PUT").ToList();
        Assert.True(routes.Count >= 11, $"only {routes.Count} routes with a body");
        using var admin = ws.Admin();
        var failures = new List<string>();
        foreach (var (method, pattern, contentType) in routes)
        {
            var path = IsolationTests.PathOf(pattern, ws.Id);
            var limit = pattern.EndsWith("/touchpoints", StringComparison.Ordinal) ? Touchpoints : General;
            foreach (var declared in new[] { true, false })
            {
                var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(limit + 10, contentType, declared) });
                if ((int)response.StatusCode != 413 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{method} {pattern} ({(declared ? "Content-Length" : "chunked")}): {(int)response.StatusCode}");
            }
        }
        // Touchpoints may be larger than the general limit: a body past 64 KB but within 256 KB is read, not refused for size.
        var touchpoints = await admin.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", Body(General + 10, "text/csv"));
        Assert.NotEqual(413, (int)touchpoints.StatusCode);
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        var after = new List<string>();
        foreach (var t in WorkspaceTables.All) after.AddRange(await ws.SnapshotAsync(t));
        Assert.Equal(before, after);
    }

    /// <summary>A body whose length is not known up front, so it travels chunked and only reading it can find its size.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
