using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Storage;

public sealed class TouchpointStore(NpgsqlDataSource db)
{
    internal const string ListSql = """
        select journey_id, ts, event, channel, campaign, value from touchpoints
        where workspace_id = @ws
          and (@from::date is null or ts >= @from::date) and (@to::date is null or ts < @to::date + 1)
          and (@j::text is null or (journey_id, ts, event, channel) > (@j, @ts::timestamptz, @e::text, @c::text))
        order by journey_id, ts, event, channel limit @n
        """;

    /// <summary>
    /// Streams rows straight from the request into a binary COPY, so memory stays flat whatever the size.
    /// The first bad row stops writing (the rest is only read for more error reports, up to the report limit);
    /// disposing the importer without completing it cancels the COPY, so a failed load leaves nothing behind.
    /// </summary>
    public async Task<TouchpointLoadResult> LoadAsync(string ws, string? idempotencyKey, IRowSource source, InputRow row, RowErrors errors, int maxErrors, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long touches = 0, conversions = 0;
        var loadId = Guid.CreateVersion7();
        await using (var importer = await conn.BeginBinaryImportAsync(
                         "copy touchpoints (workspace_id, journey_id, ts, event, channel, campaign, value, load_id) from stdin (format binary)", ct))
        {
            while (await source.ReadAsync(row, ct))
            {
                var t = TouchpointUpload.Parse(row);
                if (row.Failed)
                {
                    if (errors.Count >= maxErrors) break;
                    continue;
                }
                if (errors.Count > 0) continue;
                // Synchronous writes fill Npgsql's buffer; only a full buffer touches the socket.
                importer.StartRow();
                importer.Write(ws, NpgsqlDbType.Text);
                importer.Write(t.JourneyId, NpgsqlDbType.Text);
                importer.Write(t.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz);
                importer.Write(Name(t.Event), NpgsqlDbType.Text);
                importer.Write(t.Channel, NpgsqlDbType.Text);
                if (t.Campaign is null) importer.WriteNull(); else importer.Write(t.Campaign, NpgsqlDbType.Text);
                importer.Write(t.Value, NpgsqlDbType.Double);
                importer.Write(loadId, NpgsqlDbType.Uuid);
                if (t.Event == TouchpointEvent.Touch) touches++; else conversions++;
            }
            errors.ThrowIfAny();
            await importer.CompleteAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("""
            insert into touchpoint_loads (id, workspace_id, rows, touches, conversions, idempotency_key)
            values (@id, @ws, @rows, @touches, @conversions, @key)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", loadId);
            cmd.Parameters.AddWithValue("ws", ws);
            cmd.Parameters.AddWithValue("rows", touches + conversions);
            cmd.Parameters.AddWithValue("touches", touches);
            cmd.Parameters.AddWithValue("conversions", conversions);
            cmd.Parameters.AddWithValue("key", (object?)idempotencyKey ?? DBNull.Value);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        Telemetry.Ingested("touchpoints", touches + conversions);
        return new TouchpointLoadResult(loadId, touches + conversions, touches, conversions);
    }

    /// <summary>The committed load sent with this Idempotency-Key, if any.</summary>
    public async Task<TouchpointLoadResult?> FindLoadAsync(string ws, string idempotencyKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select id, rows, touches, conversions from touchpoint_loads where workspace_id = @ws and idempotency_key = @key");
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("key", idempotencyKey);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new TouchpointLoadResult(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3))
            : null;
    }

    public async Task<Page<Touchpoint>> ListAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(4);
        await using var cmd = db.CreateCommand(ListSql);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("j", (object?)after?[0] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("ts", after is null ? DBNull.Value : ListQuery.CursorPart(after[1], s => new DateTime(long.Parse(s), DateTimeKind.Utc)));
        cmd.Parameters.AddWithValue("e", (object?)after?[2] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("c", (object?)after?[3] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var items = new List<Touchpoint>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new Touchpoint(reader.GetString(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
                Enum.Parse<TouchpointEvent>(reader.GetString(2), ignoreCase: true), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetDouble(5)));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(
            last.JourneyId, last.Timestamp.UtcTicks.ToString(), Name(last.Event), last.Channel));
    }

    private static string Name(TouchpointEvent e) => e.ToString().ToLowerInvariant();
}
