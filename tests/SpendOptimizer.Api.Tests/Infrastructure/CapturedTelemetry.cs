using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>
/// Every span a host's tracer provider ends, as its exporters receive it. Listeners are process-wide, so spans of
/// other hosts running at the same time come too: a test picks its own by trace or workspace.
/// </summary>
public sealed class CapturedSpans : BaseProcessor<Activity>
{
    private readonly ConcurrentQueue<Activity> spans = new();

    public IReadOnlyList<Activity> All => [.. spans];

    public override void OnEnd(Activity data) => spans.Enqueue(data);

    public void AddTo(IWebHostBuilder builder) =>
        builder.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(this)));

    /// <summary>Everything a span carries as text: its name, tags, events, links' tags and status.</summary>
    public static string Text(Activity a) => string.Join('\n', new[] { a.DisplayName, a.OperationName, a.StatusDescription ?? "" }
        .Concat(a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
        .Concat(a.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}").Prepend(e.Name)))
        .Concat(a.Baggage.Select(b => $"{b.Key}={b.Value}")));
}

/// <summary>Reads the Prometheus text of /metrics.</summary>
public static partial class MetricsText
{
    public static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds or 10 s pass, and returns the last text: the exporter may answer a scrape
    /// from the one before for a moment.
    /// </summary>
    public static async Task<string> ScrapeUntilAsync(HttpClient client, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var text = await ScrapeAsync(client);
            if (done(text) || DateTime.UtcNow > deadline) return text;
            await Task.Delay(50);
        }
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every one given (name="value").</summary>
    public static double Sum(string text, string name, params string[] labels) =>
        text.Split('\n').Select(l => Sample().Match(l)).Where(m => m.Success && m.Groups["name"].Value == name)
            .Where(m => labels.All(label => m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex Sample();
}
