using Npgsql;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Storage;

public sealed class WorkspaceStore(NpgsqlDataSource db, ApiKeyStore keys)
{
    /// <summary>Creates the workspace and its first admin key together, or neither (409 when the id is taken).</summary>
    public async Task<WorkspaceCreated> CreateAsync(string id, string name, string timeZone, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("insert into workspaces (id, name, time_zone) values (@id, @name, @tz) returning created_at", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("tz", timeZone);
        var created = (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
        var key = await keys.IssueAsync(conn, tx, id, Role.Admin, "first admin key", ct);
        await tx.CommitAsync(ct);
        return new WorkspaceCreated(id, name, timeZone, new DateTimeOffset(created, TimeSpan.Zero), key);
    }

    public async Task<IssuedKey> IssueKeyAsync(string ws, Role role, string? label, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await keys.IssueAsync(conn, null, ws, role, label, ct);
    }
}
