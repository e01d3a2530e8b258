using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>What /metrics counts, who may read it, and logs that name the trace they were written in.</summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(ApiFactory factory)
{
    private static double Rows(string metrics, string table) => MetricsText.Sum(metrics, "spendoptimizer_ingest_rows_total", $"table=\"{table}\"");

    [Fact]
    public async Task RowsIngestedCountEachCompletedLoadByTableAndNothingForARefusedOne()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        using var scraper = factory.ClientWithKey(null);
        var before = await MetricsText.ScrapeAsync(scraper);
        var root = $"/v1/workspaces/{ws.Id}";

        var performance = await client.PutAsync($"{root}/performance", TestWorkspace.Csv("date,channel,spend\n2025-01-06,search,10\n2025-01-06,social,5\n2025-01-07,search,11\n"));
        Assert.True(performance.IsSuccessStatusCode, await performance.Content.ReadAsStringAsync());
        // The same rows again are stored as sent (unchanged) and still count as ingested: the counter is rows a load took in.
        var again = await client.PutAsync($"{root}/performance", TestWorkspace.Csv("date,channel,spend\n2025-01-06,search,10\n"));
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        Assert.Equal(400, (int)(await client.PutAsync($"{root}/performance", TestWorkspace.Csv("date,channel,spend\n2025-01-08,search,x\n"))).StatusCode);
        var touches = await client.PostAsync($"{root}/touchpoints", TestWorkspace.Csv("journey_id,timestamp,channel\nk1,2025-03-01T10:00:00Z,search\nk1,2025-03-01T11:00:00Z,email\n"));
        Assert.True(touches.IsSuccessStatusCode, await touches.Content.ReadAsStringAsync());

        var after = await MetricsText.ScrapeUntilAsync(scraper, m => Rows(m, "performance") - Rows(before, "performance") >= 4 && Rows(m, "touchpoints") - Rows(before, "touchpoints") >= 2);
        Assert.Equal(4, Rows(after, "performance") - Rows(before, "performance"));
        Assert.Equal(2, Rows(after, "touchpoints") - Rows(before, "touchpoints"));
    }

    [Fact]
    public async Task MetricsAnswerLoopbackWithoutAKeyAndHideFromOtherNetworksAndTheDocument()
    {
        await using var open = new ApiFactory();
        open.UseKestrel(0);
        open.StartServer();
        using (var client = open.CreateClient())
        {
            var document = await client.GetStringAsync("/swagger/v1/swagger.json");
            Assert.Contains("/health/live", document);
            Assert.DoesNotContain("/metrics", document);
            Assert.True((await client.GetAsync("/health/live")).IsSuccessStatusCode);
            var metrics = await MetricsText.ScrapeAsync(client);
            Assert.True(MetricsText.Sum(metrics, "http_server_request_duration_seconds_count", "http_route=\"/health/live\"") >= 1, metrics);
        }

        // 192.0.2.0/24 is reserved for documentation: no caller here is in it, loopback included.
        await using var closed = new ApiFactory { Configure = b => b.UseSetting($"{TelemetrySetup.MetricsAllowFromKey}:0", "192.0.2.0/24") };
        closed.UseKestrel(0);
        closed.StartServer();
        using (var client = closed.CreateClient())
        {
            using var refused = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain("spendoptimizer", await refused.Content.ReadAsStringAsync());
            Assert.True((await client.GetAsync("/health/live")).IsSuccessStatusCode);
        }
    }

    [Fact]
    public async Task OtlpPushesTheSpansAndMetricsToTheConfiguredEndpointWithoutTheKeyOrQuery()
    {
        await using var receiver = new OtlpReceiver();
        await using var host = new ApiFactory
        {
            Configure = b =>
            {
                b.UseSetting(TelemetrySetup.OtlpEndpointKey, receiver.Endpoint);
                b.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
                b.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100");
                b.UseSetting("OTEL_METRIC_EXPORT_INTERVAL", "200");
            },
        };
        var ws = await host.CreateWorkspaceAsync();
        var signature = "sig_" + Guid.NewGuid().ToString("N");
        using (var reader = host.ClientWithKey(null))
            Assert.True((await reader.GetAsync($"/v1/workspaces/{ws.Id}/performance?api_key={ws.ReadKey}&_sig={signature}")).IsSuccessStatusCode);

        var traces = await receiver.WaitAsync("/v1/traces", t => t.Contains($"/v1/workspaces/{ws.Id}/performance", StringComparison.Ordinal));
        Assert.Contains("GET /v1/workspaces/{ws}/performance", traces);
        // An export may carry the workspace's creation before the read is measured: wait for the read's own route.
        var metrics = await receiver.WaitAsync("/v1/metrics", t => t.Contains("http.server.request.duration", StringComparison.Ordinal)
            && t.Contains("/v1/workspaces/{ws}/performance", StringComparison.Ordinal));
        Assert.Contains("/v1/workspaces/{ws}/performance", metrics);
        foreach (var (name, secret) in new[] { ("read key", ws.ReadKey), ("admin key", ws.AdminKey), ("operator key", host.OperatorKey), ("query value", signature) })
        {
            Assert.False(traces.Contains(secret, StringComparison.Ordinal), $"the {name} is in the exported traces");
            Assert.False(metrics.Contains(secret, StringComparison.Ordinal), $"the {name} is in the exported metrics");
        }
    }

    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("::ffff:127.0.0.1", null, true)]
    [InlineData("10.1.2.3", null, false)]
    [InlineData("10.1.2.3", "10.0.0.0/8", true)]
    [InlineData("127.0.0.1", "10.0.0.0/8", false)]
    [InlineData("::ffff:10.1.2.3", "10.0.0.0/8", true)]
    public void MetricsReadersAreThoseOfTheAllowedNetworks(string caller, string? network, bool may)
    {
        var allowed = (network is null ? new[] { "127.0.0.0/8", "::1/128" } : [network]).Select(IPNetwork.Parse).ToList();
        Assert.Equal(may, TelemetrySetup.MayRead(IPAddress.Parse(caller), allowed));
    }

    [Fact]
    public async Task LogLinesOfARequestCarryItsTraceIdAndTheConsoleWritesJson()
    {
        var spans = new CapturedSpans();
        var logs = new ScopedLogs();
        await using var host = new ApiFactory
        {
            Configure = b =>
            {
                spans.AddTo(b);
                b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
                b.ConfigureLogging(l => l.AddProvider(logs));
            },
        };
        var ws = await host.CreateWorkspaceAsync();
        using var admin = ws.Admin();
        Assert.True((await admin.GetAsync($"/v1/workspaces/{ws.Id}/economics")).IsSuccessStatusCode);

        var request = Assert.Single(spans.All, a => a.GetTagItem("url.path") as string == $"/v1/workspaces/{ws.Id}/economics");
        var traced = logs.Lines.Where(l => l.TraceId == request.TraceId.ToHexString()).ToList();
        var executing = Assert.Single(traced, l => l.Message.StartsWith("Executing endpoint", StringComparison.Ordinal));
        Assert.Equal(request.SpanId.ToHexString(), executing.SpanId);

        var console = host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
        Assert.True(host.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
    }

    /// <summary>Log lines with the TraceId and SpanId of the scopes they were written in.</summary>
    private sealed class ScopedLogs : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<(string Message, string? TraceId, string? SpanId)> lines = new();
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<(string Message, string? TraceId, string? SpanId)> Lines => [.. lines];

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(ScopedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string? trace = null, span = null;
                owner.scopes.ForEachScope((scope, _) =>
                {
                    if (scope is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
                    foreach (var (key, value) in pairs)
                        if (key == "TraceId") trace = value?.ToString();
                        else if (key == "SpanId") span = value?.ToString();
                }, (object?)null);
                owner.lines.Enqueue((formatter(state, exception), trace, span));
            }
        }
    }
}
