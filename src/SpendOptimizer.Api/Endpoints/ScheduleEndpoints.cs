using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Scheduling;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class ScheduleEndpoints
{
    public static RouteGroupBuilder MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Schedule");
        group.MapPut("/schedule", Put)
            .RequireRole(Role.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("PutSchedule")
            .WithSummary("Set when the service plans the week by itself: a cron in the workspace's time zone (e.g. \"0 6 * * 1\", Europe/Berlin), optional refit and the recommendation request each run sends.");
        group.MapGet("/schedule", Get)
            .RequireRole(Role.Read)
            .WithName("GetSchedule")
            .WithSummary("The schedule with its next due time (UTC and local) and its last run: status, recommendation and any due times it caught up.");
        group.MapDelete("/schedule", Delete)
            .RequireRole(Role.Admin)
            .WithName("DeleteSchedule")
            .WithSummary("Stop scheduled runs and forget the setting; past runs and their recommendations stay.");
        group.MapGet("/schedule/runs", Runs)
            .RequireRole(Role.Read)
            .WithName("ListScheduleRuns")
            .WithSummary("Scheduled runs, newest first (from/to filter the due date): succeeded with the recommendation id, or failed with the reason.");
        return group;
    }

    private static async Task<Results<Ok<ScheduleResponse>, ValidationProblem>> Put(string ws, PutScheduleRequest request,
        ScheduleStore store, RecommendationService planner, TimeProvider clock, CancellationToken ct)
    {
        var (timing, errors) = ScheduleTiming.Parse(request.Cron, request.TimeZone);
        // The request each run sends is refused now if POST …/recommendations would refuse it today.
        foreach (var (field, messages) in await planner.CheckAsync(ws, request.Request ?? new CreateRecommendationRequest(), ct))
            errors["request." + field] = messages;
        var now = clock.GetUtcNow();
        if (timing is not null && timing.Next(now) is null) errors["cron"] = ["never fires after today"];
        else if (timing?.FiresTwiceADay(now) is { } day)
            errors["cron"] = [$"fires more than once on {day:yyyy-MM-dd}; a schedule runs at most once a day (e.g. \"0 6 * * 1\" for Monday 06:00)"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await store.SaveAsync(ws, request with { Cron = request.Cron.Trim() }, timing!.Next(now)!.Value, now, ct);
        return TypedResults.Ok(await ResponseAsync(ws, store, ct));
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> Get(string ws, ScheduleStore store, CancellationToken ct) =>
        await ResponseAsync(ws, store, ct) is { } found ? TypedResults.Ok(found) : NotFound(ws);

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string ws, ScheduleStore store, CancellationToken ct) =>
        await store.DeleteAsync(ws, ct) ? TypedResults.NoContent() : NotFound(ws);

    private static readonly IReadOnlyList<CsvColumn<ScheduleRun>> RunColumns =
    [
        CsvColumn<ScheduleRun>.Timestamp("due_at", r => r.DueAt),
        CsvColumn<ScheduleRun>.Timestamp("started_at", r => r.StartedAt),
        CsvColumn<ScheduleRun>.Timestamp("finished_at", r => r.FinishedAt),
        CsvColumn<ScheduleRun>.Text("status", r => r.Status.ToString().ToLowerInvariant()),
        CsvColumn<ScheduleRun>.Text("recommendation_id", r => r.RecommendationId?.ToString()),
        CsvColumn<ScheduleRun>.Integer("missed", r => r.Missed),
        CsvColumn<ScheduleRun>.Text("detail", r => r.Detail),
    ];

    private static async Task<Results<Ok<Page<ScheduleRun>>, CsvResult<ScheduleRun>>> Runs(string ws, [AsParameters] ListQuery query,
        HttpRequest request, ScheduleStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.RunsAsync(ws, q, n, ct), options.Value.MaxPageSize, RunColumns, "schedule-runs");

    private static async Task<ScheduleResponse?> ResponseAsync(string ws, ScheduleStore store, CancellationToken ct)
    {
        if (await store.GetAsync(ws, ct) is not { } s) return null;
        var timing = ScheduleTiming.Parse(s.Cron, s.TimeZone).Timing!;
        var last = (await store.RunsAsync(ws, new ListQuery(), 1, ct)).Items.FirstOrDefault();
        return new ScheduleResponse(s.Cron, s.TimeZone, s.Enabled, s.RefitCurves, s.Request,
            s.Enabled ? s.NextDueAt : null, s.Enabled ? timing.Local(s.NextDueAt) : null, last, s.UpdatedAt);
    }

    private static ProblemHttpResult NotFound(string ws) =>
        TypedResults.Problem(statusCode: 404, title: "No schedule", detail: $"Workspace '{ws}' has no schedule: PUT …/schedule sets one.");
}
