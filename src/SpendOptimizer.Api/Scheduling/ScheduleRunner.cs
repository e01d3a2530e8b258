using Npgsql;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Scheduling;

/// <summary>
/// Produces each workspace's weekly recommendation when its schedule is due. Every instance polls; the advisory lock
/// taken in <see cref="ScheduleStore.HoldDueAsync"/> lets exactly one of them run a due schedule, the plan is made with
/// no transaction open, and the recommendation and the run are stored in one short transaction at the end. A run that
/// dies before that commit leaves the schedule owed, so the next poll (here or elsewhere) catches it up.
/// </summary>
public sealed class ScheduleRunner(NpgsqlDataSource db, RecommendationService planner, CurveFittingService fitting,
    IOptions<SpendOptimizerOptions> options, TimeProvider clock, ILogger<ScheduleRunner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (options.Value.SchedulePollSeconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SchedulePollSeconds), clock);
        do
        {
            try
            {
                await RunDueAsync(clock.GetUtcNow(), stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                log.LogError(e, "Scheduled runs stopped early; what is still owed runs at the next poll");
            }
        } while (await timer.WaitForNextTickAsync(stop));
    }

    /// <summary>Runs every schedule due at <paramref name="now"/>, each in its own transaction.</summary>
    public async Task<IReadOnlyList<(string Workspace, ScheduleRun Run)>> RunDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var runs = new List<(string, ScheduleRun)>();
        while (true)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            if (await ScheduleStore.HoldDueAsync(conn, now, ct) is not { } schedule) return runs;
            try
            {
                var timing = ScheduleTiming.Parse(schedule.Cron, schedule.TimeZone).Timing
                    ?? throw new InvalidOperationException($"stored schedule of '{schedule.WorkspaceId}' no longer parses");
                var (dueAt, missed) = timing.Catch(schedule.NextDueAt, now);
                var started = clock.GetUtcNow();
                var (planned, failure) = await PlanAsync(schedule, ct);
                var run = new ScheduleRun(dueAt, started, clock.GetUtcNow(), failure is null ? ScheduleRunStatus.Succeeded : ScheduleRunStatus.Failed,
                    planned?.Recommendation.Id, missed, failure);
                await using (var tx = await conn.BeginTransactionAsync(ct))
                {
                    if (planned is not null) await RecommendationStore.SaveAsync(conn, tx, schedule.WorkspaceId, planned.Recommendation, planned.Fit, ct);
                    await ScheduleStore.CompleteAsync(conn, tx, schedule.WorkspaceId, run, timing.Next(dueAt > now ? dueAt : now), ct);
                    await tx.CommitAsync(ct);
                }
                if (failure is not null) log.LogWarning("Scheduled run of {Workspace} produced no recommendation: {Reason}", schedule.WorkspaceId, failure);
                runs.Add((schedule.WorkspaceId, run));
            }
            finally
            {
                await ReleaseAsync(conn, schedule.WorkspaceId);
            }
        }
    }

    /// <summary>Lets the schedule go; on a connection already broken the lock went with it.</summary>
    private static async Task ReleaseAsync(NpgsqlConnection conn, string ws)
    {
        try
        {
            await ScheduleStore.ReleaseAsync(conn, ws, CancellationToken.None);
        }
        catch (NpgsqlException)
        {
        }
    }

    /// <summary>
    /// A plan, or why there is none in words a reader of GET …/schedule understands. A workspace whose planning throws
    /// gets a failed run rather than stopping the runs of every workspace due after it.
    /// </summary>
    private async Task<(RecommendationService.Planned? Plan, string? Failure)> PlanAsync(StoredSchedule schedule, CancellationToken ct)
    {
        try
        {
            return await TryPlanAsync(schedule, ct);
        }
        catch (Core.TooLargeException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is not (OperationCanceledException or Npgsql.NpgsqlException))
        {
            log.LogError(e, "Scheduled run of {Workspace} failed", schedule.WorkspaceId);
            return (null, "an unexpected error stopped this run; it is in the service's log");
        }
    }

    private async Task<(RecommendationService.Planned? Plan, string? Failure)> TryPlanAsync(StoredSchedule schedule, CancellationToken ct)
    {
        if (schedule.RefitCurves)
        {
            var (_, errors) = await fitting.FitAsync(schedule.WorkspaceId, new FitResponseCurvesRequest(), ct);
            if (errors.Count > 0) return (null, "curves could not be refitted: " + Describe(errors));
        }
        return await planner.PlanAsync(schedule.WorkspaceId, schedule.Request, ct) switch
        {
            RecommendationService.Planned p => (p, null),
            RecommendationService.Invalid i => (null, "the request is not valid: " + Describe(i.Errors)),
            RecommendationService.NoCurves n => (null, n.Detail),
            RecommendationService.Infeasible f => (null, "no plan meets every limit: " + string.Join(" ", f.Result.Clashes.Select(c => c.Explanation))),
            _ => throw new InvalidOperationException("unknown planning outcome"),
        };
    }

    private static string Describe(Dictionary<string, string[]> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}
