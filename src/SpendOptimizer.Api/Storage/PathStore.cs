using Npgsql;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Storage;

public sealed class PathStore(NpgsqlDataSource db)
{
    public async Task<UpsertResult> UpsertAsync(string ws, IReadOnlyList<PathRecord> rows, CancellationToken ct)
    {
        rows = Upserts.InKeyOrder(rows, r => r.Path.ToString());
        await using var cmd = db.CreateCommand("""
            insert into paths as t (workspace_id, path, total_conversions, total_conversion_value, total_null)
            select @ws, * from unnest(@path, @conversions, @value, @nulls)
            on conflict (workspace_id, md5(path)) do update set
                total_conversions = excluded.total_conversions, total_conversion_value = excluded.total_conversion_value,
                total_null = excluded.total_null, updated_at = now()
            where (t.total_conversions, t.total_conversion_value, t.total_null)
                is distinct from (excluded.total_conversions, excluded.total_conversion_value, excluded.total_null)
            returning (xmax = 0)
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("path", rows.Select(r => r.Path.ToString()).ToArray());
        cmd.Parameters.AddWithValue("conversions", rows.Select(r => r.TotalConversions).ToArray());
        cmd.Parameters.AddWithValue("value", rows.Select(r => r.TotalConversionValue).ToArray());
        cmd.Parameters.AddWithValue("nulls", rows.Select(r => r.TotalNull).ToArray());
        var stored = await Upserts.CountAsync(cmd, rows.Count, ct);
        Telemetry.Ingested("paths", rows.Count);
        return stored;
    }

    public async Task<Page<PathRecord>> ListAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(1);
        await using var cmd = db.CreateCommand("""
            select path, total_conversions, total_conversion_value, total_null from paths
            where workspace_id = @ws and (@after::text is null or path > @after)
            order by path limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("after", (object?)after?[0] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var items = new List<PathRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new PathRecord(ChannelPath.TryParse(reader.GetString(0), out _)!, reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.Path.ToString()));
    }
}
