using Npgsql;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Turns stored journeys into ChannelAttribution-shaped paths inside PostgreSQL, so only one row per distinct
/// path reaches the service, however many journeys there are. Every step groups by journey first, so the same
/// SQL runs on Citus with touchpoints distributed by journey_id.
/// </summary>
public sealed class JourneyPathStore(NpgsqlDataSource db)
{
    /// <summary>
    /// A journey is the touches up to its first conversion; it converted when it has a conversion event (its value
    /// is the sum of its conversions' values), otherwise it counts as a null. It belongs to the window when its
    /// conversion, or its last touch if it never converted, falls within [from, to].
    /// </summary>
    public async Task<PathSet> AggregateAsync(string ws, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            with conversions as (
                select journey_id, min(ts) as converted_at, sum(value) as value
                from touchpoints where workspace_id = @ws and event = 'conversion'
                group by journey_id
            ), journeys as (
                select string_agg(t.channel, ' > ' order by t.ts, t.channel) as path,
                       c.converted_at is not null as converted,
                       coalesce(c.value, 0) as value,
                       coalesce(c.converted_at, max(t.ts)) as ended_at
                from touchpoints t left join conversions c on c.journey_id = t.journey_id
                where t.workspace_id = @ws and t.event = 'touch' and (c.converted_at is null or t.ts <= c.converted_at)
                group by t.journey_id, c.converted_at, c.value
            )
            select path,
                   count(*) filter (where converted)::float8,
                   coalesce(sum(value), 0)::float8,
                   count(*) filter (where not converted)::float8
            from journeys
            where (@from::date is null or ended_at >= @from::date) and (@to::date is null or ended_at < @to::date + 1)
            group by path
            """);
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)from ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)to ?? DBNull.Value);
        return await ReadAsync(cmd, ct);
    }

    public async Task<bool> HasTouchpointsAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select exists (select 1 from touchpoints where workspace_id = @ws)");
        cmd.Parameters.AddWithValue("ws", ws);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Stored aggregated paths (PUT …/paths), all of them.</summary>
    public async Task<PathSet> StoredPathsAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select path, total_conversions, total_conversion_value, total_null from paths where workspace_id = @ws");
        cmd.Parameters.AddWithValue("ws", ws);
        return await ReadAsync(cmd, ct);
    }

    /// <summary>Reads (path, conversions, value, nulls) rows straight into a <see cref="PathSet"/>: channels interned, no per-path objects.</summary>
    private static async Task<PathSet> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var builder = new PathSetBuilder();
        var ids = new int[64];
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var path = reader.GetString(0).AsSpan();
            var n = 0;
            foreach (var part in path.Split('>'))
            {
                if (n == ids.Length) Array.Resize(ref ids, n * 2);
                ids[n++] = builder.Channel(path[part].Trim());
            }
            builder.Add(ids.AsSpan(0, n), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
        }
        return builder.Build();
    }
}
