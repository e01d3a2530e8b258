using System.Text.Json;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Json;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Jobs;

/// <summary>Marks a route that takes <c>Prefer: respond-async</c>, so the OpenAPI document can say so.</summary>
public sealed record RespondsAsyncMetadata;

public static class RespondAsync
{
    /// <summary>
    /// With <c>Prefer: respond-async</c>, the request is stored as a job once its body has bound (a body that does not bind
    /// is refused at once, as without it) and the answer is 202 with the job's Location; without it the route answers as
    /// before. The job later replays the body through this same route.
    /// </summary>
    public static RouteHandlerBuilder AcceptsRespondAsync<TBody>(this RouteHandlerBuilder builder) where TBody : class =>
        builder.WithMetadata(new RespondsAsyncMetadata())
            .Produces<JobResponse>(StatusCodes.Status202Accepted)
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                if (JobReplay.IsReplay(http) || !Wanted(http.Request.Headers)) return await next(context);
                var body = context.Arguments.OfType<TBody>().Single();
                var ws = (string)http.Request.RouteValues["ws"]!;
                var kind = http.GetEndpoint()!.Metadata.GetRequiredMetadata<IEndpointNameMetadata>().EndpointName;
                var job = await http.RequestServices.GetRequiredService<JobStore>()
                    .EnqueueAsync(ws, kind, http.Request.PathBase + http.Request.Path, JsonSerializer.Serialize(body, ApiJson.Options), http.RequestAborted);
                http.RequestServices.GetRequiredService<JobRunner>().Wake();
                http.Response.Headers["Preference-Applied"] = "respond-async";
                return TypedResults.Accepted(JobPath(ws, job.Id), job);
            });

    public static string JobPath(string ws, Guid id) => $"/v1/workspaces/{ws}/jobs/{id}";

    /// <summary>Whether respond-async is among the Prefer header's preferences (RFC 7240: comma-separated, any case, parameters after ';').</summary>
    public static bool Wanted(IHeaderDictionary headers) =>
        headers["Prefer"].SelectMany(v => (v ?? "").Split(','))
            .Any(p => p.Split(';')[0].Split('=')[0].Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase));
}
