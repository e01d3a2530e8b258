using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpendOptimizer.Api.Tests.Infrastructure;
using static SpendOptimizer.Api.Tests.Hostile.HostileAnswers;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// Through a real Kestrel: an over-long target, oversized headers and a control character in the path are problem
/// details naming the limit or the path, not Kestrel's empty answers; a malformed request line never puts a key in the logs.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class KestrelLimitTests
{
    private static ApiFactory Start(CapturedLogs? logs = null)
    {
        var factory = new ApiFactory
        {
            Configure = b =>
            {
                if (logs is null) return;
                b.UseSetting("Logging:LogLevel:Default", "Trace");
                b.UseSetting("Logging:LogLevel:Microsoft", "Trace");
                b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
                b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel", "Trace");
                b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel.BadRequests", "Trace");
                b.ConfigureLogging(l => l.AddProvider(logs));
            },
        };
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    [Fact]
    public async Task ATargetPastTheServiceLimitIsA414ProblemNamingTheLimit()
    {
        await using var factory = Start();
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Reader();
        var root = $"/v1/workspaces/{ws.Id}/performance?_pad=";
        using (var under = await client.GetAsync(root + new string('a', 15_000))) Assert.True(under.IsSuccessStatusCode, await under.Content.ReadAsStringAsync());
        using var over = await client.GetAsync(root + new string('a', 17_000));
        await AssertRefusedAsync(over, "17 KB target", 414, "MaxRequestTargetBytes", "16,384");
    }

    [Fact]
    public async Task HeadersPastTheServiceLimitAreA431ProblemNamingTheLimit()
    {
        await using var factory = Start();
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Reader();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/workspaces/{ws.Id}/economics");
        for (var i = 0; i < 5; i++) request.Headers.Add($"X-Filler-{i}", new string('h', 8000));
        using var over = await client.SendAsync(request);
        await AssertRefusedAsync(over, "40 KB of headers", 431, "MaxRequestHeaderBytes", "32,768");
        using var normal = await client.GetAsync($"/v1/workspaces/{ws.Id}/economics");
        Assert.True(normal.IsSuccessStatusCode);
    }

    [Fact]
    public async Task AControlCharacterInThePathIsA400ProblemNamingThePath()
    {
        await using var factory = Start();
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Reader();
        foreach (var segment in new[] { "%01", "a%01b", "%1F", "%7F", "%0D%0A", "%09" })
        {
            using var response = await client.GetAsync($"/v1/workspaces/{ws.Id}/{segment}/performance");
            await AssertRefusedAsync(response, segment, 400, "path", "control character");
            using var workspace = await client.GetAsync($"/v1/workspaces/{segment}/performance");
            await AssertRefusedAsync(workspace, segment + " as the workspace", 400, "path");
        }
    }

    /// <summary>What Kestrel still answers itself, before any of the service runs: requests it cannot parse, or far past its raised limits.</summary>
    [Fact]
    public async Task OnlyUnparsableRequestsOrOnesFarPastTheLimitsGetKestrelsOwnAnswer()
    {
        await using var factory = Start();
        var (status, body) = await RawAsync(factory, Encoding.ASCII.GetBytes($"GET /health/live?x={new string('a', 400_000)} HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.Equal(414, status);
        Assert.Equal("", body);
        (status, _) = await RawAsync(factory, [.. "GET /health/l"u8, 0, .. "ive HTTP/1.1\r\nHost: x\r\n\r\n"u8]);
        Assert.Equal(400, status);
        // Kestrel refuses a path that decodes to NUL itself, before any middleware.
        (status, body) = await RawAsync(factory, "GET /v1/workspaces/a%00b/performance HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        Assert.Equal(400, status);
        Assert.Equal("", body);
        (status, _) = await RawAsync(factory, Encoding.ASCII.GetBytes($"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: {new string('b', 600_000)}\r\n\r\n"));
        Assert.Equal(431, status);
    }

    [Fact]
    public async Task AMalformedRequestLineOrHeaderNeverPutsItsKeyInTheLogsAtDebug()
    {
        var logs = new CapturedLogs();
        await using var factory = Start(logs);
        var ws = await factory.CreateWorkspaceAsync();
        var requests = new[]
        {
            $"GET /v1/workspaces/{ws.Id}/performance?api_key={ws.ReadKey}\u0001 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            $"GET /v1/workspaces/{ws.Id}/performance?api_key={ws.ReadKey} HTTP/1.1 extra\r\nHost: x\r\nConnection: close\r\n\r\n",
            $"GET /v1/workspaces/{ws.Id}/performance?api_key={ws.ReadKey} HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
            $"GET /v1/workspaces/{ws.Id}/performance HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Api-Key {ws.ReadKey}\r\n\r\n",
            $"GET /v1/workspaces/{ws.Id}/performance HTTP/1.1\r\nHost: x\r\nX-Api-Key: {ws.ReadKey}\u0000\r\nConnection: close\r\n\r\n",
        };
        var statuses = new List<int>();
        foreach (var r in requests) statuses.Add((await RawAsync(factory, Encoding.ASCII.GetBytes(r))).Status);
        Assert.All(statuses, s => Assert.True(s is >= 400 and < 500 or 505, string.Join(", ", statuses)));
        var text = logs.Text();
        Assert.Contains("Microsoft.AspNetCore.Server.Kestrel", text); // Kestrel's Debug logging really was captured
        Assert.False(text.Contains(ws.ReadKey, StringComparison.Ordinal), "a key sent in a malformed request appears in the logs");
    }

    /// <summary>Sends raw bytes to the server and reads the status and body of its answer (Kestrel closes after a bad request).</summary>
    private static async Task<(int Status, string Body)> RawAsync(ApiFactory factory, byte[] request)
    {
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        // A bound on a server that never answers, not a timing assertion.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, deadline.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request, deadline.Token);
        }
        catch (IOException)
        {
            // Kestrel may answer and close before the whole request is written; the answer is still there to read.
        }
        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, deadline.Token);
        }
        catch (IOException)
        {
        }
        var text = Encoding.ASCII.GetString(answer.ToArray());
        Assert.True(text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal), $"no HTTP answer: {Short(text)}");
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (int.Parse(text[9..12]), split < 0 ? "" : text[(split + 4)..]);
    }
}
