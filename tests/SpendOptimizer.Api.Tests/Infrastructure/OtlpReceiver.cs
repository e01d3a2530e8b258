using System.Collections.Concurrent;
using System.Net;

namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>
/// An OTLP/HTTP endpoint on loopback that keeps every export it is sent, by path (/v1/traces, /v1/metrics), and answers
/// 200. Protobuf carries strings as plain UTF-8, so a secret in an export is a substring of its bytes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> exports = new();
    private readonly Task loop;

    public OtlpReceiver()
    {
        var port = Ports.Free();
        Endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public IReadOnlyList<(string Path, byte[] Body)> Exports => [.. exports];

    /// <summary>Everything received at <paramref name="path"/>, decoded as UTF-8 (binary fields become noise, strings stay whole).</summary>
    public string Text(string path) => string.Join('\n', Exports.Where(e => e.Path == path).Select(e => System.Text.Encoding.UTF8.GetString(e.Body)));

    /// <summary>Waits until <paramref name="done"/> holds of the text received at <paramref name="path"/>, or 30 s pass.</summary>
    public async Task<string> WaitAsync(string path, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done(Text(path)) && DateTime.UtcNow < deadline) await Task.Delay(100);
        return Text(path);
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            exports.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
