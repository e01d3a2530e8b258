using System.Net;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SpendOptimizer.Api.Observability;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Traces (requests, PostgreSQL commands, the service's own spans), metrics (the same, scraped at /metrics and pushed by
/// OTLP when an endpoint is set) and logs that carry the trace they were written in.
/// </summary>
public static class TelemetrySetup
{
    public const string Section = "Telemetry";
    public const string MetricsPath = "/metrics";

    /// <summary>The networks whose callers may read <see cref="MetricsPath"/>; loopback only unless configured.</summary>
    public const string MetricsAllowFromKey = Section + ":MetricsAllowFrom";

    /// <summary>Where OTLP goes when OTEL_EXPORTER_OTLP_ENDPOINT is not set; neither set, nothing is pushed.</summary>
    public const string OtlpEndpointKey = Section + ":OtlpEndpoint";

    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        // One JSON object a line, the trace and span ids among the scopes; "Logging:Console:FormatterName": "simple" reads easier by eye.
        if (builder.Configuration["Logging:Console:FormatterName"] is null)
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });

        // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) from configuration; the key is its stand-in.
        const string otlpVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
        if (string.IsNullOrWhiteSpace(builder.Configuration[otlpVariable]) && builder.Configuration[OtlpEndpointKey] is { Length: > 0 } configured)
            builder.Configuration.AddInMemoryCollection([new(otlpVariable, configured)]);
        var push = !string.IsNullOrWhiteSpace(builder.Configuration[otlpVariable]);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Telemetry.Name))
            .WithTracing(t =>
            {
                t.AddSource(Telemetry.Name)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = http => http.Request.Path != MetricsPath;
                        // A read key may travel as ?api_key=; no part of the query is kept, names included.
                        o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                    })
                    .AddNpgsql();
                if (push) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(Telemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter();
                if (push) m.AddOtlpExporter();
            });
        return builder;
    }

    /// <summary>Serves <see cref="MetricsPath"/> in Prometheus text format to callers from the allowed networks; others get a 404.</summary>
    public static IEndpointConventionBuilder MapMetrics(this WebApplication app)
    {
        var allowed = (app.Configuration.GetSection(MetricsAllowFromKey).Get<string[]>() is { Length: > 0 } given ? given : Loopback)
            .Select(IPNetwork.Parse).ToArray();
        return app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use((http, next) =>
        {
            if (MayRead(http.Connection.RemoteIpAddress, allowed)) return next(http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }), optionsName: null).ExcludeFromDescription();
    }

    /// <summary>A caller without an address came over a local transport (a Unix socket, or the host in-process).</summary>
    public static bool MayRead(IPAddress? caller, IReadOnlyList<IPNetwork> allowed)
    {
        if (caller is null) return true;
        if (caller.IsIPv4MappedToIPv6) caller = caller.MapToIPv4();
        return allowed.Any(n => n.Contains(caller));
    }
}
