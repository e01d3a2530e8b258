using System.Text.Json;

namespace SpendOptimizer.Api.Contracts;

public enum JobState { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>How far a running job has got, as its work last said.</summary>
/// <param name="Stage">What it is doing, e.g. "fitting curves".</param>
/// <param name="Done">Units done so far in this stage (rows read, channels fitted, groups fitted …).</param>
/// <param name="Total">Units the stage has in all, when known.</param>
/// <param name="Unit">What Done counts.</param>
/// <param name="Share">Done / Total when the total is known; 1 once the job has succeeded.</param>
public sealed record JobProgress(string? Stage, long? Done, long? Total, string? Unit, double? Share);

/// <summary>Work accepted with <c>Prefer: respond-async</c>.</summary>
/// <param name="Kind">The operation it runs (the OpenAPI operationId, e.g. CreateAttributionRun).</param>
/// <param name="Path">The route it was sent to; the job replays that request with the body as it was read.</param>
/// <param name="State">queued, running, succeeded, failed or cancelled.</param>
/// <param name="Attempts">Times an instance has started it: 2 means the instance that ran it first stopped and another took it over.</param>
/// <param name="CancelRequested">A DELETE asked it to stop; a running job stops at its next check.</param>
/// <param name="ResultLocation">Where the stored answer is, once it has succeeded.</param>
/// <param name="Error">Why it failed, as the problem details the request would have answered.</param>
public sealed record JobResponse(Guid Id, string Kind, string Path, JobState State, int Attempts, bool CancelRequested, JobProgress Progress,
    string? ResultLocation, JsonElement? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
