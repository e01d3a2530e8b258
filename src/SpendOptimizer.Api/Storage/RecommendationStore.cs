using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Json;
using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Api.Storage;

public sealed class RecommendationStore(NpgsqlDataSource db)
{
    // A stored recommendation never changes, so every instance may keep what it has read; dashboards polling
    // "latest" then cost one index lookup instead of re-aggregating the lines.
    private readonly ConcurrentDictionary<(string Workspace, Guid Id), RecommendationResponse> _read = new();

    /// <summary>One recommendation of the workspace, or its newest when <paramref name="id"/> is null.</summary>
    public async Task<RecommendationResponse?> GetAsync(string ws, Guid? id, CancellationToken ct)
    {
        if (id is null)
        {
            await using var cmd = db.CreateCommand("select id from recommendations where workspace_id = @ws order by created_at desc, id desc limit 1");
            cmd.Parameters.AddWithValue("ws", ws);
            if (await cmd.ExecuteScalarAsync(ct) is not Guid newest) return null;
            id = newest;
        }
        if (_read.TryGetValue((ws, id.Value), out var known)) return known;
        var found = (await ListAsync(ws, id, new ListQuery(), 1, ct)).Items.FirstOrDefault();
        if (found is not null)
        {
            if (_read.Count >= 10_000) _read.Clear();
            _read[(ws, found.Id)] = found;
        }
        return found;
    }

    /// <summary>The plan, and first the fit it made for itself when there was none (<paramref name="fit"/>), both or neither.</summary>
    public async Task SaveAsync(string ws, RecommendationResponse r, UnsavedFit? fit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await SaveAsync(conn, tx, ws, r, fit, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Inside the caller's transaction, so a scheduled run commits its plan and its run record together.</summary>
    public static async Task SaveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string ws, RecommendationResponse r, UnsavedFit? fit, CancellationToken ct)
    {
        if (fit is not null) await ResponseCurveStore.SaveAsync(conn, tx, ws, fit.Fit, fit.Parameters, ct);
        await using (var cmd = new NpgsqlCommand("""
            insert into recommendations (id, workspace_id, week, fit_id, request, objective, status, solver_status, relative_gap, solve_seconds,
                approximation_error, current_value, recommended_value, gain_p10, gain_p50, gain_p90, gain_probability_positive, draws, created_at, warnings)
            values (@id, @ws, @week, @fit, @request, @objective, 'ok', @solver, @gap, @seconds, @approx, @current, @recommended,
                @p10, @p50, @p90, @pp, @draws, @created, @warnings)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", r.Id);
            cmd.Parameters.AddWithValue("ws", ws);
            cmd.Parameters.AddWithValue("week", r.Week);
            cmd.Parameters.AddWithValue("fit", (object?)r.FitId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("request", NpgsqlDbType.Jsonb, r.Request.GetRawText());
            cmd.Parameters.AddWithValue("objective", r.Objective);
            cmd.Parameters.AddWithValue("solver", r.Solver.Status);
            cmd.Parameters.AddWithValue("gap", r.Solver.RelativeGap);
            cmd.Parameters.AddWithValue("seconds", r.Solver.Seconds);
            cmd.Parameters.AddWithValue("approx", r.Solver.ApproximationError);
            cmd.Parameters.AddWithValue("current", r.CurrentValue);
            cmd.Parameters.AddWithValue("recommended", r.RecommendedValue);
            cmd.Parameters.AddWithValue("p10", (object?)r.Gain.P10 ?? DBNull.Value);
            cmd.Parameters.AddWithValue("p50", (object?)r.Gain.P50 ?? DBNull.Value);
            cmd.Parameters.AddWithValue("p90", (object?)r.Gain.P90 ?? DBNull.Value);
            cmd.Parameters.AddWithValue("pp", (object?)r.Gain.ProbabilityPositive ?? DBNull.Value);
            cmd.Parameters.AddWithValue("draws", r.Gain.Draws);
            cmd.Parameters.AddWithValue("created", r.CreatedAt);
            cmd.Parameters.AddWithValue("warnings", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(r.Warnings ?? []));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // Lines go in by name: each property of a serialised line fills the column of that name (names the table lacks,
        // such as the explanation, are dropped), so a column added later needs no list kept here.
        await using (var cmd = new NpgsqlCommand("""
            insert into recommendation_lines
            select p.* from jsonb_array_elements(@lines) l,
                jsonb_populate_record(null::recommendation_lines, l || jsonb_build_object('recommendation_id', @id)) p
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", r.Id);
            cmd.Parameters.AddWithValue("lines", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(r.Lines, ApiJson.Options));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Newest first; <paramref name="id"/> picks one, a page of one without it is "latest".</summary>
    public async Task<Page<RecommendationResponse>> ListAsync(string ws, Guid? id, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        await using var conn = await db.OpenConnectionAsync(ct);
        var items = new List<RecommendationResponse>();
        await using (var cmd = new NpgsqlCommand("""
            select id, week, created_at, fit_id, objective, current_value, recommended_value, gain_p10, gain_p50, gain_p90,
                   gain_probability_positive, draws, solver_status, relative_gap, solve_seconds, approximation_error, request::text,
                   (select json_agg(to_jsonb(l) - 'recommendation_id' order by channel) from recommendation_lines l where l.recommendation_id = r.id)::text,
                   warnings::text, (select currency from workspaces w where w.id = r.workspace_id)
            from recommendations r
            where workspace_id = @ws and (@id::uuid is null or id = @id)
              and (@from::date is null or week >= @from) and (@to::date is null or week <= @to)
              and (@before_at::timestamptz is null or (created_at, id) < (@before_at, @before_id::uuid))
            order by created_at desc, id desc limit @n
            """, conn))
        {
            cmd.Parameters.AddWithValue("ws", ws);
            cmd.Parameters.AddWithValue("id", (object?)id ?? DBNull.Value);
            cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
            cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
            cmd.Parameters.AddWithValue("before_at", after is null ? DBNull.Value : ListQuery.CursorPart(after[0], s => new DateTimeOffset(long.Parse(s), TimeSpan.Zero)));
            cmd.Parameters.AddWithValue("before_id", after is null ? DBNull.Value : ListQuery.CursorPart(after[1], Guid.Parse));
            cmd.Parameters.AddWithValue("n", pageSize + 1);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                double? D(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
                // Lines come back as objects named by their columns, so a column added later cannot shift the others.
                var lines = JsonSerializer.Deserialize<RecommendationLine[]>(r.IsDBNull(17) ? "[]" : r.GetString(17), ApiJson.Options)!
                    .Select(l => l with { Explanation = Reasons.Explain(l.Reason) }).ToList();
                var current = r.GetDouble(5);
                var recommended = r.GetDouble(6);
                // The currency is the workspace's, set once at its creation, so the plan's money was counted in it.
                items.Add(new RecommendationResponse(r.GetGuid(0), r.GetFieldValue<DateOnly>(1), r.GetString(19), r.GetFieldValue<DateTimeOffset>(2),
                    r.IsDBNull(3) ? null : r.GetGuid(3), r.GetString(4), current, recommended,
                    new GainSummary(recommended - current, D(7), D(8), D(9), D(10), r.GetInt32(11)),
                    new SolverSummary(r.GetString(12), r.GetDouble(13), r.GetDouble(14), r.GetDouble(15)),
                    lines, JsonDocument.Parse(r.GetString(16)).RootElement.Clone(), JsonSerializer.Deserialize<string[]>(r.GetString(18))));
            }
        }
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.CreatedAt.UtcTicks.ToString(), last.Id.ToString()));
    }
}
