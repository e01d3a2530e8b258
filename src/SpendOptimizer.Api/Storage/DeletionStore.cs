using System.Text.Json;
using Npgsql;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Removes stored inputs, each delete with its audit row in one transaction: both or neither. Nothing derived and
/// stored (attribution runs, fits, recommendations) is touched; those hold copies of what they were made from.
/// </summary>
public sealed class DeletionStore(NpgsqlDataSource db)
{
    /// <summary>A touchpoint load as found: null rows when it does not exist; removed below rows when its touchpoints predate per-load tracking.</summary>
    public sealed record LoadDeletion(long? Rows, long Removed);

    public Task<long> PerformanceAsync(string ws, string channel, DateOnly from, DateOnly to, Deleter who, IReadOnlyDictionary<string, string> parameters, CancellationToken ct) =>
        DeleteAsync(ws, who, parameters, "delete from channel_performance where workspace_id = @ws and channel = @channel and date between @from and @to",
            p => { p.AddWithValue("channel", channel); p.AddWithValue("from", from); p.AddWithValue("to", to); }, ct);

    public Task<long> LiftTestAsync(string ws, string id, Deleter who, IReadOnlyDictionary<string, string> parameters, CancellationToken ct) =>
        DeleteAsync(ws, who, parameters, "delete from lift_tests where workspace_id = @ws and id = @id", p => p.AddWithValue("id", id), ct);

    public Task<long> EconomicsAsync(string ws, string channel, Deleter who, IReadOnlyDictionary<string, string> parameters, CancellationToken ct) =>
        DeleteAsync(ws, who, parameters, "delete from unit_economics where workspace_id = @ws and channel = @channel", p => p.AddWithValue("channel", channel), ct);

    /// <summary>One path (matched on its digest, as the unique index is), or every path when none is named.</summary>
    public Task<long> PathsAsync(string ws, string? path, Deleter who, IReadOnlyDictionary<string, string> parameters, CancellationToken ct) =>
        DeleteAsync(ws, who, parameters, "delete from paths where workspace_id = @ws and (@path::text is null or (md5(path) = md5(@path) and path = @path))",
            p => p.AddWithValue("path", (object?)path ?? DBNull.Value), ct);

    /// <summary>
    /// Removes a load's touchpoints and the load itself, which frees its Idempotency-Key: the same file, with or
    /// without that key, loads again afresh. A load whose touchpoints cannot all be found is left whole.
    /// </summary>
    public async Task<LoadDeletion> TouchpointLoadAsync(string ws, Guid loadId, Deleter who, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long rows;
        await using (var find = new NpgsqlCommand("delete from touchpoint_loads where workspace_id = @ws and id = @id returning rows", conn, tx))
        {
            find.Parameters.AddWithValue("ws", ws);
            find.Parameters.AddWithValue("id", loadId);
            if (await find.ExecuteScalarAsync(ct) is not long found) return new LoadDeletion(null, 0);
            rows = found;
        }
        long removed;
        await using (var delete = new NpgsqlCommand("delete from touchpoints where workspace_id = @ws and load_id = @id", conn, tx))
        {
            delete.Parameters.AddWithValue("ws", ws);
            delete.Parameters.AddWithValue("id", loadId);
            delete.CommandTimeout = 0;
            removed = await delete.ExecuteNonQueryAsync(ct);
        }
        if (removed != rows) return new LoadDeletion(rows, removed); // disposing the transaction rolls both deletes back
        await RecordAsync(conn, tx, ws, who, parameters, removed, ct);
        await tx.CommitAsync(ct);
        return new LoadDeletion(rows, removed);
    }

    /// <summary>
    /// Removes a customers, orders or subscriptions load: its rows and the load, which frees its Idempotency-Key.
    /// Null when the workspace has no load of that kind with this id.
    /// </summary>
    public async Task<long?> CustomerLoadAsync(string ws, string kind, Guid loadId, Deleter who, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var table = kind switch
        {
            "customers" => "customers",
            "orders" => "orders",
            "subscriptions" => "subscriptions",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a customer-data kind"),
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var find = new NpgsqlCommand("delete from customer_loads where workspace_id = @ws and kind = @kind and id = @id returning rows", conn, tx))
        {
            find.Parameters.AddWithValue("ws", ws);
            find.Parameters.AddWithValue("kind", kind);
            find.Parameters.AddWithValue("id", loadId);
            if (await find.ExecuteScalarAsync(ct) is not long) return null;
        }
        long removed;
        await using (var delete = new NpgsqlCommand($"delete from {table} where workspace_id = @ws and load_id = @id", conn, tx))
        {
            delete.Parameters.AddWithValue("ws", ws);
            delete.Parameters.AddWithValue("id", loadId);
            delete.CommandTimeout = 0;
            removed = await delete.ExecuteNonQueryAsync(ct);
        }
        await RecordAsync(conn, tx, ws, who, parameters, removed, ct);
        await tx.CommitAsync(ct);
        return removed;
    }

    /// <summary>Runs one delete; records and commits only when it removed rows, so a delete of nothing changes nothing.</summary>
    private async Task<long> DeleteAsync(string ws, Deleter who, IReadOnlyDictionary<string, string> parameters, string sql,
        Action<NpgsqlParameterCollection> bind, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long removed;
        await using (var cmd = new NpgsqlCommand(sql, conn, tx))
        {
            cmd.Parameters.AddWithValue("ws", ws);
            bind(cmd.Parameters);
            removed = await cmd.ExecuteNonQueryAsync(ct);
        }
        if (removed == 0) return 0;
        await RecordAsync(conn, tx, ws, who, parameters, removed, ct);
        await tx.CommitAsync(ct);
        return removed;
    }

    private static async Task RecordAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string ws, Deleter who,
        IReadOnlyDictionary<string, string> parameters, long removed, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into deletions (id, workspace_id, key_id, key_prefix, role, route, parameters, removed)
            values (@id, @ws, @key_id, @prefix, @role, @route, @parameters::json, @removed)
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("key_id", (object?)who.KeyId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("prefix", who.KeyPrefix);
        cmd.Parameters.AddWithValue("role", who.Role.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("route", who.Route);
        cmd.Parameters.AddWithValue("parameters", JsonSerializer.Serialize(parameters));
        cmd.Parameters.AddWithValue("removed", removed);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Recorded deletes, newest first; from/to filter the day they were made (UTC).</summary>
    public async Task<Page<DeletionRecord>> ListAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        await using var cmd = db.CreateCommand("""
            select id, deleted_at, key_id, key_prefix, role, route, parameters::text, removed from deletions
            where workspace_id = @ws
              and (@from::date is null or deleted_at >= @from::date) and (@to::date is null or deleted_at < @to::date + 1)
              and (@before_at::timestamptz is null or (deleted_at, id) < (@before_at, @before_id::uuid))
            order by deleted_at desc, id desc limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before_at", after is null ? DBNull.Value : ListQuery.CursorPart(after[0], s => new DateTime(long.Parse(s), DateTimeKind.Utc)));
        cmd.Parameters.AddWithValue("before_id", after is null ? DBNull.Value : ListQuery.CursorPart(after[1], Guid.Parse));
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var items = new List<DeletionRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new DeletionRecord(reader.GetGuid(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6))!, reader.GetInt64(7)));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.DeletedAt.UtcTicks.ToString(), last.Id.ToString()));
    }
}
