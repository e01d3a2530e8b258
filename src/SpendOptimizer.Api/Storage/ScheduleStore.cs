using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Json;

namespace SpendOptimizer.Api.Storage;

/// <summary>A workspace's stored schedule; <see cref="NextDueAt"/> is when the next run is owed.</summary>
public sealed record StoredSchedule(string WorkspaceId, string Cron, string TimeZone, bool Enabled, bool RefitCurves,
    CreateRecommendationRequest Request, DateTimeOffset NextDueAt, DateTimeOffset UpdatedAt);

public sealed class ScheduleStore(NpgsqlDataSource db)
{
    private const string Columns = "workspace_id, cron, time_zone, enabled, refit_curves, request::text, next_due_at, updated_at";

    public async Task SaveAsync(string ws, PutScheduleRequest s, DateTimeOffset nextDue, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            insert into schedules (workspace_id, cron, time_zone, enabled, refit_curves, request, next_due_at, updated_at)
            values (@ws, @cron, @zone, @enabled, @refit, @request, @next, @now)
            on conflict (workspace_id) do update set cron = excluded.cron, time_zone = excluded.time_zone, enabled = excluded.enabled,
                refit_curves = excluded.refit_curves, request = excluded.request, next_due_at = excluded.next_due_at, updated_at = excluded.updated_at
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("cron", s.Cron.Trim());
        cmd.Parameters.AddWithValue("zone", s.TimeZone);
        cmd.Parameters.AddWithValue("enabled", s.Enabled);
        cmd.Parameters.AddWithValue("refit", s.RefitCurves);
        cmd.Parameters.AddWithValue("request", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(s.Request ?? new CreateRecommendationRequest(), ApiJson.Options));
        cmd.Parameters.AddWithValue("next", nextDue);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<StoredSchedule?> GetAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"select {Columns} from schedules where workspace_id = @ws");
        cmd.Parameters.AddWithValue("ws", ws);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    public async Task<bool> DeleteAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from schedules where workspace_id = @ws");
        cmd.Parameters.AddWithValue("ws", ws);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Runs newest first; from/to filter the due date.</summary>
    public async Task<Page<ScheduleRun>> RunsAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(1);
        await using var cmd = db.CreateCommand("""
            select due_at, started_at, finished_at, status, recommendation_id, missed, detail from schedule_runs
            where workspace_id = @ws and (@from::date is null or due_at >= @from) and (@to::date is null or due_at < @to::date + 1)
              and (@before::timestamptz is null or due_at < @before)
            order by due_at desc limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before", after is null ? DBNull.Value : ListQuery.CursorPart(after[0], s => new DateTimeOffset(long.Parse(s), TimeSpan.Zero)));
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var runs = new List<ScheduleRun>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            runs.Add(new ScheduleRun(r.GetFieldValue<DateTimeOffset>(0), r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2),
                Enum.Parse<ScheduleRunStatus>(r.GetString(3), ignoreCase: true), r.IsDBNull(4) ? null : r.GetGuid(4), r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetString(6)));
        return Paging.Page(runs, pageSize, last => ListQuery.EncodeCursor(last.DueAt.UtcTicks.ToString()));
    }

    /// <summary>The first key of the two-key advisory locks that hold a schedule while it runs (the second is hashtext of the workspace).</summary>
    private const int LockClass = 0x5343;

    /// <summary>
    /// Holds the schedule owed longest that no other instance holds, by a session-level advisory lock on
    /// <paramref name="conn"/>: nothing stays open in a transaction while the plan is made, and if the instance dies
    /// its connection, and so the lock, goes with it and the run stays owed. Two workspaces whose ids hash alike take
    /// turns: the second waits for the next poll. Null when nothing is due or everything due is held elsewhere.
    /// </summary>
    public static async Task<StoredSchedule?> HoldDueAsync(NpgsqlConnection conn, DateTimeOffset now, CancellationToken ct)
    {
        var due = new List<string>();
        await using (var cmd = new NpgsqlCommand("select workspace_id from schedules where enabled and next_due_at <= @now order by next_due_at limit 100", conn))
        {
            cmd.Parameters.AddWithValue("now", now);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) due.Add(r.GetString(0));
        }
        foreach (var ws in due)
        {
            if (!await TryHoldAsync(conn, ws, ct)) continue;
            // Read again under the lock: another instance may have run it between the list and the lock.
            await using (var cmd = new NpgsqlCommand($"select {Columns} from schedules where workspace_id = @ws and enabled and next_due_at <= @now", conn))
            {
                cmd.Parameters.AddWithValue("ws", ws);
                cmd.Parameters.AddWithValue("now", now);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                if (await r.ReadAsync(ct)) return Read(r);
            }
            await ReleaseAsync(conn, ws, ct);
        }
        return null;
    }

    /// <summary>Takes the workspace's schedule lock on this connection if no other session holds it.</summary>
    public static async Task<bool> TryHoldAsync(NpgsqlConnection conn, string ws, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_try_advisory_lock(@class, hashtext(@ws))", conn);
        cmd.Parameters.AddWithValue("class", LockClass);
        cmd.Parameters.AddWithValue("ws", ws);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task ReleaseAsync(NpgsqlConnection conn, string ws, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_advisory_unlock(@class, hashtext(@ws))", conn);
        cmd.Parameters.AddWithValue("class", LockClass);
        cmd.Parameters.AddWithValue("ws", ws);
        await cmd.ExecuteScalarAsync(ct);
    }

    /// <param name="nextDue">Null for a cron that never fires again: the schedule is then disabled.</param>
    public static async Task CompleteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string ws, ScheduleRun run, DateTimeOffset? nextDue, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into schedule_runs (workspace_id, due_at, started_at, finished_at, status, recommendation_id, missed, detail)
            values (@ws, @due, @started, @finished, @status, @rec, @missed, @detail);
            update schedules set next_due_at = coalesce(@next, next_due_at), enabled = enabled and @next is not null where workspace_id = @ws;
            """, conn, tx);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("due", run.DueAt);
        cmd.Parameters.AddWithValue("started", run.StartedAt);
        cmd.Parameters.AddWithValue("finished", run.FinishedAt);
        cmd.Parameters.AddWithValue("status", run.Status.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("rec", (object?)run.RecommendationId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("missed", run.Missed);
        cmd.Parameters.AddWithValue("detail", (object?)run.Detail ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.TimestampTz) { Value = (object?)nextDue ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static StoredSchedule Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetBoolean(4),
            JsonSerializer.Deserialize<CreateRecommendationRequest>(r.GetString(5), ApiJson.Options)!,
            r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7));
}
