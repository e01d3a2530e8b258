using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Json;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Paths, each one row holding the request and the answer as sent: a path is read only whole, so its cells need no table of
/// their own, and one insert stores all of it or none.
/// </summary>
public sealed class PlanStore(NpgsqlDataSource db)
{
    public async Task SaveAsync(string ws, CreatePlanRequest request, PlanResponse plan, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("insert into plans (id, workspace_id, created_at, request, answer) values (@id, @ws, @created, @request, @answer)");
        cmd.Parameters.AddWithValue("id", plan.Id);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("created", plan.CreatedAt);
        cmd.Parameters.AddWithValue("request", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(request, ApiJson.Options));
        cmd.Parameters.AddWithValue("answer", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(plan, ApiJson.Options));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One path of the workspace, or its newest when <paramref name="id"/> is null.</summary>
    public async Task<PlanResponse?> GetAsync(string ws, Guid? id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select answer::text from plans
            where workspace_id = @ws and (@id::uuid is null or id = @id)
            order by created_at desc, id desc limit 1
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", (object?)id ?? DBNull.Value);
        return await cmd.ExecuteScalarAsync(ct) is string answer ? JsonSerializer.Deserialize<PlanResponse>(answer, ApiJson.Options) : null;
    }
}
