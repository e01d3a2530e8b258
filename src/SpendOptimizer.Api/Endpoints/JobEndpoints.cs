using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Jobs");
        group.MapGet("/jobs", List)
            .RequireRole(Role.Read)
            .WithName("ListJobs")
            .WithSummary("Work sent with Prefer: respond-async, newest first (from/to filter the day it was sent, state one state).");
        group.MapGet("/jobs/{id:guid}", Get)
            .RequireRole(Role.Read)
            .WithName("GetJob")
            .WithSummary("One job: its state, progress and attempts; once succeeded, result_location (also the Location header) is the stored answer, once failed, error is the problem details.");
        group.MapDelete("/jobs/{id:guid}", Cancel)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CancelJob")
            .WithSummary("Cancel a job: a queued one at once (200), a running one at its next check (202, then state cancelled, nothing stored). An ended job is 409.");
        return group;
    }

    private static readonly IReadOnlyList<CsvColumn<JobResponse>> Columns =
    [
        CsvColumn<JobResponse>.Text("job_id", j => j.Id.ToString()),
        CsvColumn<JobResponse>.Text("kind", j => j.Kind),
        CsvColumn<JobResponse>.Text("state", j => j.State.ToString().ToLowerInvariant()),
        CsvColumn<JobResponse>.Integer("attempts", j => j.Attempts),
        CsvColumn<JobResponse>.Share("progress", j => j.Progress.Share),
        CsvColumn<JobResponse>.Timestamp("created_at", j => j.CreatedAt),
        CsvColumn<JobResponse>.Timestamp("started_at", j => j.StartedAt),
        CsvColumn<JobResponse>.Timestamp("finished_at", j => j.FinishedAt),
        CsvColumn<JobResponse>.Text("result_location", j => j.ResultLocation),
    ];

    /// <param name="state">Only jobs in this state.</param>
    private static async Task<Results<Ok<Page<JobResponse>>, CsvResult<JobResponse>>> List(string ws, [AsParameters] ListQuery query, HttpRequest request,
        JobStore jobs, IOptions<SpendOptimizerOptions> options, [QueryChoices(typeof(JobState))] string? state = null,
        CancellationToken ct = default) =>
        await ListResults.RespondAsync(request, query, (q, n) => jobs.ListAsync(ws, q, state is null ? null : Enum.Parse<JobState>(state, ignoreCase: true), n, ct),
            options.Value.MaxPageSize, Columns, "jobs");

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> Get(string ws, Guid id, HttpResponse response, JobStore jobs, CancellationToken ct)
    {
        if (await jobs.GetAsync(ws, id, ct) is not { } job) return NotFound(ws, id);
        if (job.ResultLocation is not null) response.Headers.Location = job.ResultLocation;
        else if (job.State is JobState.Queued or JobState.Running) response.Headers.RetryAfter = "1";
        return TypedResults.Ok(job);
    }

    private static async Task<Results<Ok<JobResponse>, Accepted<JobResponse>, ProblemHttpResult>> Cancel(string ws, Guid id, JobStore jobs, JobRunner runner,
        CancellationToken ct)
    {
        if (await jobs.CancelAsync(ws, id, ct) is not { } job) return NotFound(ws, id);
        if (job.State == JobState.Cancelled) return TypedResults.Ok(job);
        if (job.State != JobState.Running)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Job already ended",
                detail: $"Job {id} has already {job.State.ToString().ToLowerInvariant()}; there is nothing to cancel.");
        runner.CancelHere(id);
        return TypedResults.Accepted(RespondAsync.JobPath(ws, id), job);
    }

    private static ProblemHttpResult NotFound(string ws, Guid id) =>
        TypedResults.Problem(statusCode: 404, title: "Job not found", detail: $"Workspace '{ws}' has no job {id}.");
}
