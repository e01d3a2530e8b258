using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Jobs;

/// <summary>
/// Runs a job by sending its stored request through the route it was sent to, in memory: the same binding, filters,
/// handler and problem details as a request over HTTP, so a job and a direct request cannot answer differently. Only the
/// middleware is not run again: the key, role, rate and body limits were checked when the job was accepted, and the
/// job has a time limit of its own.
/// </summary>
public sealed class JobReplay(IServiceScopeFactory scopes, EndpointDataSource endpoints, ILogger<JobReplay> log)
{
    private static readonly object Marker = new();

    /// <summary>Most bytes of an answer kept: enough for any problem details (they are bounded); a success is read for its Location only.</summary>
    private const int KeptBytes = 256 * 1024;

    public static bool IsReplay(HttpContext http) => http.Items.ContainsKey(Marker);

    public async Task<JobEnd> RunAsync(ClaimedJob job, CancellationToken ct)
    {
        var endpoint = endpoints.Endpoints.OfType<RouteEndpoint>()
            .FirstOrDefault(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == job.Kind && e.Metadata.GetMetadata<RespondsAsyncMetadata>() is not null);
        if (endpoint?.RequestDelegate is null)
            return Failed(Problem(422, "Unknown job kind", $"This version of the service has no route '{job.Kind}' that runs as a job."));

        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = ct };
        http.Items[Marker] = job.Id;
        var body = Encoding.UTF8.GetBytes(job.Request);
        http.Request.Method = HttpMethods.Post;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("job");
        http.Request.Path = job.Path;
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = body.Length;
        http.Request.Body = new MemoryStream(body, writable: false);
        http.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody()); // binding reads a body only where the server says there is one
        http.Request.RouteValues["ws"] = job.WorkspaceId;
        var answer = new KeptStream(KeptBytes);
        http.Response.Body = answer;
        http.SetEndpoint(endpoint);
        try
        {
            await endpoint.RequestDelegate(http);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            http.Response.Clear();
            var handled = false;
            foreach (var handler in scope.ServiceProvider.GetServices<IExceptionHandler>())
                if (handled = await handler.TryHandleAsync(http, e, ct)) break;
            if (!handled)
            {
                log.LogError(e, "Job {Job} ({Kind}) failed", job.Id, job.Kind);
                return Failed(Problem(500, "Job failed", "An unexpected error stopped this job; it is in the service's log. Nothing was stored."));
            }
        }
        var status = http.Response.StatusCode;
        if (status is >= 200 and < 300)
            return new JobEnd(JobState.Succeeded, http.Response.Headers.Location is { Count: > 0 } l ? l.ToString() : null, null);
        return Failed(answer.Whole && IsJsonObject(answer.Text) ? answer.Text : Problem(status, "Job failed", $"The request answered {status}."));
    }

    private static JobEnd Failed(string problem) => new(JobState.Failed, null, problem);

    public static string Problem(int status, string title, string detail) =>
        JsonSerializer.Serialize(new { type = "about:blank", title, status, detail });

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    /// <summary>A response body that keeps its first bytes and counts the rest.</summary>
    private sealed class KeptStream(int keep) : Stream
    {
        private readonly MemoryStream _kept = new();
        private long _length;

        public bool Whole => _length <= keep;
        public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = (int)Math.Max(0, Math.Min(buffer.Length, keep - _kept.Length));
            _kept.Write(buffer[..room]);
            _length += buffer.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

        public override void SetLength(long value)
        {
            _kept.SetLength(Math.Min(value, _kept.Length));
            _length = value;
        }

        public override bool CanRead => false;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => SetLength(value); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    }
}
