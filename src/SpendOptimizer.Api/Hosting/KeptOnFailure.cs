namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Endpoint metadata: what a request to the route may already have stored when it fails midway (cut off by its time
/// limit, or the database gone), so the refusal says so instead of claiming nothing was kept.
/// </summary>
public sealed record KeptOnFailure(string What)
{
    /// <summary>"Nothing from it was stored." or the route's exception to it.</summary>
    public static string Sentence(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<KeptOnFailure>() is { } kept
            ? $"Nothing from it was stored except {kept.What}."
            : "Nothing from it was stored.";
}
