using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Json;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Tables of answers read only whole (id, workspace_id, created_at, request, answer as jsonb): one insert stores an answer
/// with the request that made it, and one read gives it back by id or as the workspace's newest.
/// </summary>
internal static class WholeAnswers
{
    public static async Task SaveAsync<TRequest, TAnswer>(NpgsqlDataSource db, string table, string ws, Guid id, DateTimeOffset createdAt,
        TRequest request, TAnswer answer, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"insert into {table} (id, workspace_id, created_at, request, answer) values (@id, @ws, @created, @request, @answer)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("created", createdAt);
        cmd.Parameters.AddWithValue("request", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(request, ApiJson.Options));
        cmd.Parameters.AddWithValue("answer", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(answer, ApiJson.Options));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One answer of the workspace, or its newest when <paramref name="id"/> is null.</summary>
    public static async Task<TAnswer?> GetAsync<TAnswer>(NpgsqlDataSource db, string table, string ws, Guid? id, CancellationToken ct) where TAnswer : class
    {
        await using var cmd = db.CreateCommand($"""
            select answer::text from {table}
            where workspace_id = @ws and (@id::uuid is null or id = @id)
            order by created_at desc, id desc limit 1
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", (object?)id ?? DBNull.Value);
        return await cmd.ExecuteScalarAsync(ct) is string answer ? JsonSerializer.Deserialize<TAnswer>(answer, ApiJson.Options) : null;
    }
}
