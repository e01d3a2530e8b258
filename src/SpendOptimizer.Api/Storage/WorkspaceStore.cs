using Npgsql;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Storage;

public sealed class WorkspaceStore(NpgsqlDataSource db, ApiKeyStore keys)
{
    /// <summary>Creates the workspace and its first admin key together, or neither (409 when the id is taken).</summary>
    public async Task<WorkspaceCreated> CreateAsync(string id, string name, WorkspaceSettings settings, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            insert into workspaces (id, name, time_zone, currency, week_start) values (@id, @name, @tz, @currency, @week_start) returning created_at
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("tz", settings.TimeZone);
        cmd.Parameters.AddWithValue("currency", settings.Currency);
        cmd.Parameters.AddWithValue("week_start", (short)Weeks.Iso(settings.WeekStart));
        var created = (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
        var key = await keys.IssueAsync(conn, tx, id, Role.Admin, "first admin key", ct);
        await tx.CommitAsync(ct);
        return new WorkspaceCreated(id, name, settings.TimeZone, settings.Currency, settings.WeekStart, new DateTimeOffset(created, TimeSpan.Zero), key);
    }

    public async Task<WorkspaceInfo?> GetAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select id, name, time_zone, currency, week_start, created_at from workspaces where id = @ws");
        cmd.Parameters.AddWithValue("ws", ws);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new WorkspaceInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            Weeks.FromIso(reader.GetInt16(4)), reader.GetFieldValue<DateTimeOffset>(5));
    }

    /// <summary>The workspace's currency, zone and week start (the workspace is known to exist: its key was checked).</summary>
    public async Task<WorkspaceSettings> SettingsAsync(string ws, CancellationToken ct) =>
        await GetAsync(ws, ct) is { } w ? new WorkspaceSettings(w.Currency, w.TimeZone, w.WeekStart)
            : throw new InvalidOperationException($"workspace '{ws}' does not exist");

    public async Task<IssuedKey> IssueKeyAsync(string ws, Role role, string? label, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await keys.IssueAsync(conn, null, ws, role, label, ct);
    }

    public async Task<IReadOnlyList<KeyInfo>> ListKeysAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select id, role, prefix, label, created_at, revoked_at from api_keys where workspace_id = @ws order by created_at, id
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        var keys = new List<KeyInfo>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            keys.Add(new KeyInfo(reader.GetGuid(0), Enum.Parse<Role>(reader.GetString(1), true), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        return keys;
    }

    /// <summary>Revokes a key of the workspace; false when the workspace has no such key.</summary>
    public async Task<bool> RevokeKeyAsync(string ws, Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("update api_keys set revoked_at = coalesce(revoked_at, now()) where workspace_id = @ws and id = @id");
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}

/// <summary>A key as listed: never the key itself, only its first characters.</summary>
public sealed record KeyInfo(Guid Id, Role Role, string Prefix, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
