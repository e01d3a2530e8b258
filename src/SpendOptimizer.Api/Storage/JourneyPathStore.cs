using Npgsql;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Turns stored journeys into ChannelAttribution-shaped paths inside PostgreSQL, so only one row per distinct
/// path reaches the service, however many journeys there are.
/// </summary>
public sealed class JourneyPathStore(NpgsqlDataSource db)
{
    /// <summary>Paths of the journeys that end within [from, to]: see <see cref="JourneyPathSql.Paths"/>.</summary>
    public async Task<PathSet> AggregateAsync(string ws, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var settings = new NpgsqlCommand(JourneyPathSql.Partitionwise, conn, tx)) await settings.ExecuteNonQueryAsync(ct);
        await using var cmd = new NpgsqlCommand(JourneyPathSql.Paths, conn, tx);
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)from ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)to ?? DBNull.Value);
        var paths = await ReadAsync(cmd, ct);
        await tx.CommitAsync(ct);
        return paths;
    }

    public async Task<bool> HasTouchpointsAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(JourneyPathSql.HasTouchpoints);
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
