using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Storage;

public sealed class AttributionRunStore(NpgsqlDataSource db)
{
    /// <summary>The run and its credits in one transaction: a run is stored whole or not at all.</summary>
    public async Task SaveAsync(string ws, AttributionRunResponse run, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            insert into attribution_runs (id, workspace_id, model, parameters, source, window_from, window_to, journeys,
                                          distinct_paths, total_conversions, total_value, diagnostics, created_at)
            values (@id, @ws, @model, @parameters, @source, @from, @to, @journeys, @paths, @conversions, @value, @diagnostics, @created)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", run.Id);
            cmd.Parameters.AddWithValue("ws", ws);
            cmd.Parameters.AddWithValue("model", run.Model);
            cmd.Parameters.AddWithValue("parameters", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(run.Parameters));
            cmd.Parameters.AddWithValue("source", run.Source);
            cmd.Parameters.AddWithValue("from", (object?)run.From ?? DBNull.Value);
            cmd.Parameters.AddWithValue("to", (object?)run.To ?? DBNull.Value);
            cmd.Parameters.AddWithValue("journeys", run.Journeys);
            cmd.Parameters.AddWithValue("paths", run.DistinctPaths);
            cmd.Parameters.AddWithValue("conversions", run.TotalConversions);
            cmd.Parameters.AddWithValue("value", run.TotalConversionValue);
            cmd.Parameters.AddWithValue("diagnostics", NpgsqlDbType.Jsonb, run.Diagnostics.GetRawText());
            cmd.Parameters.AddWithValue("created", run.CreatedAt);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("""
            insert into attribution_credits (run_id, channel, conversions, value, share, removal_effect)
            select @id, * from unnest(@channel, @conversions, @value, @share, @re::float8[])
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", run.Id);
            cmd.Parameters.AddWithValue("channel", run.Channels.Select(c => c.ChannelName).ToArray());
            cmd.Parameters.AddWithValue("conversions", run.Channels.Select(c => c.TotalConversions).ToArray());
            cmd.Parameters.AddWithValue("value", run.Channels.Select(c => c.TotalConversionValue).ToArray());
            cmd.Parameters.AddWithValue("share", run.Channels.Select(c => c.Share).ToArray());
            cmd.Parameters.AddWithValue("re", run.Channels.Select(c => c.RemovalEffect).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<AttributionRunResponse?> GetAsync(string ws, Guid id, CancellationToken ct) =>
        (await QueryAsync(ws, id, null, null, 1, null, ct)).FirstOrDefault();

    /// <summary>The workspace's newest run of any model, or null.</summary>
    public async Task<AttributionRunResponse?> LatestAsync(string ws, CancellationToken ct) =>
        (await QueryAsync(ws, null, null, null, 1, null, ct)).FirstOrDefault();

    /// <summary>Runs newest first; <paramref name="model"/> filters by model.</summary>
    public async Task<Page<AttributionRunResponse>> ListAsync(string ws, ListQuery q, string? model, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        (DateTimeOffset, Guid)? key = after is null ? null
            : (ListQuery.CursorPart(after[0], s => new DateTimeOffset(long.Parse(s), TimeSpan.Zero)), ListQuery.CursorPart(after[1], Guid.Parse));
        var items = await QueryAsync(ws, null, q, model, pageSize + 1, key, ct);
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.CreatedAt.UtcTicks.ToString(), last.Id.ToString()));
    }

    private async Task<List<AttributionRunResponse>> QueryAsync(string ws, Guid? id, ListQuery? q, string? model, int limit,
        (DateTimeOffset CreatedAt, Guid Id)? before, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select r.id, r.model, r.parameters::text, r.source, r.window_from, r.window_to, r.journeys, r.distinct_paths,
                   r.total_conversions, r.total_value, r.created_at, r.diagnostics::text,
                   coalesce((select json_agg(json_build_array(c.channel, c.conversions, c.value, c.share, c.removal_effect)
                                             order by c.conversions desc, c.channel)
                             from attribution_credits c where c.run_id = r.id), '[]')::text
            from attribution_runs r
            where r.workspace_id = @ws and (@id::uuid is null or r.id = @id) and (@model::text is null or r.model = @model)
              and (@from::date is null or r.created_at >= @from::date) and (@to::date is null or r.created_at < @to::date + 1)
              and (@before_at::timestamptz is null or (r.created_at, r.id) < (@before_at, @before_id::uuid))
            order by r.created_at desc, r.id desc
            limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", (object?)id ?? DBNull.Value);
        cmd.Parameters.AddWithValue("model", (object?)model ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", (object?)q?.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q?.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before_at", (object?)before?.CreatedAt ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before_id", (object?)before?.Id ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", limit);
        var runs = new List<AttributionRunResponse>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var credits = JsonSerializer.Deserialize<JsonElement[][]>(reader.GetString(12))!
                .Select(c => new ChannelCreditResponse(c[0].GetString()!, c[1].GetDouble(), c[2].GetDouble(), c[3].GetDouble(),
                    c[4].ValueKind == JsonValueKind.Null ? null : c[4].GetDouble()))
                .ToList();
            runs.Add(new AttributionRunResponse(
                reader.GetGuid(0), reader.GetString(1),
                JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(reader.GetString(2))!,
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
                reader.GetDouble(6), reader.GetInt32(7), reader.GetDouble(8), reader.GetDouble(9),
                new DateTimeOffset(reader.GetDateTime(10), TimeSpan.Zero),
                JsonDocument.Parse(reader.GetString(11)).RootElement.Clone(),
                credits));
        }
        return runs;
    }
}
