using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;

namespace SpendOptimizer.Api.Storage;

/// <summary>A job as an instance claimed it: what to replay, and which attempt this is.</summary>
public sealed record ClaimedJob(string WorkspaceId, Guid Id, string Kind, string Path, string Request, int Attempts);

/// <summary>How a job ended: its state, where its answer is, or the problem it met.</summary>
public sealed record JobEnd(JobState State, string? ResultLocation, string? Error);

/// <summary>
/// Jobs and their leases. Every time here is the database's, so instances whose clocks differ still agree on whose
/// lease has run out.
/// </summary>
public sealed class JobStore(NpgsqlDataSource db)
{
    private const string Columns = """
        id, kind, path, state, attempts, cancel_requested, progress_stage, progress_done, progress_total, progress_unit,
        result_location, error::text, created_at, started_at, finished_at
        """;

    public async Task<JobResponse> EnqueueAsync(string ws, string kind, string path, string request, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            insert into jobs (id, workspace_id, kind, path, request, state, created_at, updated_at)
            values (@id, @ws, @kind, @path, @request, 'queued', now(), now())
            returning {Columns}
            """);
        cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("path", path);
        cmd.Parameters.AddWithValue("request", NpgsqlDbType.Jsonb, request);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return Read(r);
    }

    public async Task<JobResponse?> GetAsync(string ws, Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"select {Columns} from jobs where workspace_id = @ws and id = @id");
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>Newest first; from and to filter the day (UTC) each was sent.</summary>
    public async Task<Page<JobResponse>> ListAsync(string ws, ListQuery q, JobState? state, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        await using var cmd = db.CreateCommand($"""
            select {Columns} from jobs
            where workspace_id = @ws and (@state::text is null or state = @state)
              and (@from::date is null or (created_at at time zone 'UTC')::date >= @from)
              and (@to::date is null or (created_at at time zone 'UTC')::date <= @to)
              and (@before_at::timestamptz is null or (created_at, id) < (@before_at, @before_id::uuid))
            order by created_at desc, id desc limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("state", state is null ? DBNull.Value : state.Value.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before_at", after is null ? DBNull.Value : ListQuery.CursorPart(after[0], s => new DateTimeOffset(long.Parse(s), TimeSpan.Zero)));
        cmd.Parameters.AddWithValue("before_id", after is null ? DBNull.Value : ListQuery.CursorPart(after[1], Guid.Parse));
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var items = new List<JobResponse>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                items.Add(Read(r));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.CreatedAt.UtcTicks.ToString(), last.Id.ToString()));
    }

    /// <summary>
    /// Asks a job to stop: a queued one is cancelled here and then, a running one when its instance next checks. A job
    /// already ended is left as it is. Null when the workspace has no such job.
    /// </summary>
    public async Task<JobResponse?> CancelAsync(string ws, Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            update jobs set cancel_requested = cancel_requested or state in ('queued', 'running'),
                state = case when state = 'queued' then 'cancelled' else state end,
                finished_at = case when state = 'queued' then now() else finished_at end,
                updated_at = now()
            where workspace_id = @ws and id = @id
            returning {Columns}
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>
    /// Takes the oldest job no live instance holds: a queued one, or a running one whose lease ran out (its instance is
    /// gone) while it has attempts left. Jobs whose lease ran out with none left, or after a cancel, are ended first.
    /// </summary>
    public async Task<ClaimedJob?> ClaimAsync(string owner, TimeSpan lease, int maxAttempts, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var end = new NpgsqlCommand("""
            update jobs set state = case when cancel_requested then 'cancelled' else 'failed' end, finished_at = now(), updated_at = now(),
                lease_owner = null, lease_expires_at = null,
                error = case when cancel_requested then null else jsonb_build_object('type', 'about:blank', 'status', 500,
                    'title', 'Instance lost', 'detail', 'The instance running this job stopped on each of its ' || attempts
                    || ' attempts; nothing it may have stored is linked to this job. Send the request again.') end
            where state = 'running' and lease_expires_at < now() and (attempts >= @max or cancel_requested)
            """, conn))
        {
            end.Parameters.AddWithValue("max", maxAttempts);
            await end.ExecuteNonQueryAsync(ct);
        }
        await using var claim = new NpgsqlCommand("""
            update jobs set state = 'running', attempts = attempts + 1, lease_owner = @owner, lease_expires_at = now() + @lease,
                started_at = coalesce(started_at, now()), updated_at = now(),
                progress_stage = null, progress_done = null, progress_total = null, progress_unit = null
            where id = (select id from jobs
                        where state = 'queued' or (state = 'running' and lease_expires_at < now() and attempts < @max and not cancel_requested)
                        order by created_at limit 1 for update skip locked)
            returning workspace_id, id, kind, path, request::text, attempts
            """, conn);
        claim.Parameters.AddWithValue("owner", owner);
        claim.Parameters.AddWithValue("lease", lease);
        claim.Parameters.AddWithValue("max", maxAttempts);
        await using var r = await claim.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new ClaimedJob(r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5)) : null;
    }

    /// <summary>
    /// Renews the lease and records progress. False when the job should stop here: a cancel was asked, or the lease is no
    /// longer this instance's (it ran out and another instance took the job over).
    /// </summary>
    public async Task<bool> RenewAsync(Guid id, string owner, TimeSpan lease, ProgressReport? progress, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            update jobs set lease_expires_at = now() + @lease, updated_at = now(), {ProgressColumns}
            where id = @id and lease_owner = @owner and state = 'running'
            returning cancel_requested
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("owner", owner);
        cmd.Parameters.AddWithValue("lease", lease);
        AddProgress(cmd, progress);
        return await cmd.ExecuteScalarAsync(ct) is false;
    }

    /// <summary>Ends a job this instance still holds; false when it no longer does (the end is then another's to record).</summary>
    public async Task<bool> FinishAsync(Guid id, string owner, JobEnd end, ProgressReport? progress, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            update jobs set state = @state, result_location = @location, error = @error::jsonb, finished_at = now(), updated_at = now(),
                lease_owner = null, lease_expires_at = null, {ProgressColumns}
            where id = @id and lease_owner = @owner and state = 'running'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("owner", owner);
        cmd.Parameters.AddWithValue("state", end.State.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("location", (object?)end.ResultLocation ?? DBNull.Value);
        cmd.Parameters.AddWithValue("error", (object?)end.Error ?? DBNull.Value);
        AddProgress(cmd, progress);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The newest report, when there is one, replaces the stored progress whole.</summary>
    private const string ProgressColumns = """
        progress_stage = coalesce(@stage, progress_stage), progress_done = coalesce(@done, progress_done),
        progress_total = case when @stage::text is null then progress_total else @total end, progress_unit = coalesce(@unit, progress_unit)
        """;

    private static void AddProgress(NpgsqlCommand cmd, ProgressReport? progress)
    {
        cmd.Parameters.AddWithValue("stage", (object?)progress?.Stage ?? DBNull.Value);
        cmd.Parameters.AddWithValue("done", NpgsqlDbType.Bigint, (object?)progress?.Done ?? DBNull.Value);
        cmd.Parameters.AddWithValue("total", NpgsqlDbType.Bigint, (object?)progress?.Total ?? DBNull.Value);
        cmd.Parameters.AddWithValue("unit", (object?)progress?.Unit ?? DBNull.Value);
    }

    private static JobResponse Read(NpgsqlDataReader r)
    {
        var state = Enum.Parse<JobState>(r.GetString(3), ignoreCase: true);
        long? done = r.IsDBNull(7) ? null : r.GetInt64(7), total = r.IsDBNull(8) ? null : r.GetInt64(8);
        if (state == JobState.Succeeded && total is not null) done = total;
        var share = state == JobState.Succeeded ? 1.0 : total > 0 && done is { } d ? Math.Min(1.0, (double)d / total.Value) : (double?)null;
        var progress = new JobProgress(r.IsDBNull(6) ? null : r.GetString(6), done, total, r.IsDBNull(9) ? null : r.GetString(9), share);
        JsonElement? error = r.IsDBNull(11) ? null : JsonDocument.Parse(r.GetString(11)).RootElement.Clone();
        return new JobResponse(r.GetGuid(0), r.GetString(1), r.GetString(2), state, r.GetInt32(4), r.GetBoolean(5), progress,
            r.IsDBNull(10) ? null : r.GetString(10), error, r.GetFieldValue<DateTimeOffset>(12),
            r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14));
    }
}
