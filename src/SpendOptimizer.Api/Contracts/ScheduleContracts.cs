namespace SpendOptimizer.Api.Contracts;

/// <summary>When the service plans the week by itself.</summary>
/// <param name="Cron">Five-field cron (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1" for Monday 06:00; macros such as @weekly work too.</param>
/// <param name="TimeZone">IANA time zone the cron is read in, e.g. "Europe/Berlin" (default UTC).</param>
/// <param name="Enabled">false keeps the setting but stops the runs.</param>
/// <param name="RefitCurves">Fit the response curves on the newest data before each run (default true).</param>
/// <param name="Request">The recommendation request each run sends (default: everything default).</param>
public sealed record PutScheduleRequest(string Cron, string TimeZone = "UTC", bool Enabled = true, bool RefitCurves = true,
    CreateRecommendationRequest? Request = null);

public enum ScheduleRunStatus { Succeeded, Failed }

/// <summary>One scheduled run.</summary>
/// <param name="DueAt">The due time this run served (the latest one when earlier ones were missed).</param>
/// <param name="Missed">Earlier due times folded into this run because the service was not running then.</param>
/// <param name="Detail">Why a failed run produced no recommendation.</param>
public sealed record ScheduleRun(DateTimeOffset DueAt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, ScheduleRunStatus Status,
    Guid? RecommendationId, int Missed, string? Detail);

/// <summary>A workspace's schedule with its next and last runs.</summary>
/// <param name="NextRunAt">Next due time (UTC); null when disabled.</param>
/// <param name="NextRunLocal">The same time in the schedule's time zone, ISO 8601 with offset.</param>
public sealed record ScheduleResponse(string Cron, string TimeZone, bool Enabled, bool RefitCurves, CreateRecommendationRequest Request,
    DateTimeOffset? NextRunAt, string? NextRunLocal, ScheduleRun? LastRun, DateTimeOffset UpdatedAt);
