namespace SpendOptimizer.Api.Tests.Readme;

/// <summary>What one documented request answered, or why it could not be sent.</summary>
public sealed record RequestOutcome(int? Status, string? MediaType, string Body, string? Error);

/// <summary>
/// Runs a document's requests in order, once each, over real HTTP: a test case for request n first runs those before it
/// (whose ids it may need), so every case can run alone and a whole run sends each request once.
/// </summary>
public sealed class DocumentRun(IReadOnlyList<DocumentedRequest> requests, RunContext context, HttpClient client)
{
    /// <summary>Bounds each request: above the service's own planning limit (120 s), so that limit answers first.</summary>
    public static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(180);

    private readonly List<RequestOutcome> _outcomes = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IReadOnlyList<DocumentedRequest> Requests => requests;

    public async Task<RequestOutcome> RunThroughAsync(int index)
    {
        await _gate.WaitAsync();
        try
        {
            while (_outcomes.Count <= index) _outcomes.Add(await SendAsync(requests[_outcomes.Count]));
            return _outcomes[index];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RequestOutcome> SendAsync(DocumentedRequest request)
    {
        try
        {
            using var message = request.Build(context);
            using var limit = new CancellationTokenSource(RequestLimit);
            using var response = await client.SendAsync(message, limit.Token);
            var body = await response.Content.ReadAsStringAsync(limit.Token);
            if (response.IsSuccessStatusCode) request.Capture(context, body);
            return new RequestOutcome((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, null);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or KeyNotFoundException or IOException
                                      or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return new RequestOutcome(null, null, "", $"{e.GetType().Name}: {e.Message}");
        }
    }
}
