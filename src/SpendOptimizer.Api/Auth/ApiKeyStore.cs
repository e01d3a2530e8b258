using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Auth;

/// <summary>
/// Issues keys and resolves a presented key to its caller. Valid keys are remembered for KeyCacheSeconds so a busy
/// dashboard does not cost a key lookup per request; a revocation clears this instance's memory at once, and other
/// instances forget the key within that time.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource db, IOptions<SpendOptimizerOptions> options, TimeProvider clock)
{
    private readonly byte[]? _operatorHash = string.IsNullOrEmpty(options.Value.AdminKey) ? null : ApiKeyFormat.Hash(options.Value.AdminKey);
    private readonly ConcurrentDictionary<string, (Caller Caller, long Until)> _recent = new();
    private readonly long _cacheTicks = (long)(options.Value.KeyCacheSeconds * clock.TimestampFrequency);
    private long _lookups;

    /// <summary>How many times a key was looked up in the database since start.</summary>
    public long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>The operator key (whatever its shape), or a key of the issued shape; nothing else is ever looked up.</summary>
    public bool IsWellFormed(string key) => IsOperator(key) || ApiKeyFormat.IsWellFormed(key);

    public bool IsOperator(string key) =>
        _operatorHash is not null && CryptographicOperations.FixedTimeEquals(ApiKeyFormat.Hash(key), _operatorHash);

    /// <summary>The caller of a key resolved in the last KeyCacheSeconds (or the operator), without a lookup; else null.</summary>
    public Caller? Remembered(string key)
    {
        if (IsOperator(key)) return new Caller(null, Role.Admin);
        return _recent.TryGetValue(Convert.ToBase64String(ApiKeyFormat.Hash(key)), out var known) && known.Until > clock.GetTimestamp()
            ? known.Caller : null;
    }

    public async Task<Caller?> ResolveAsync(string key, CancellationToken ct)
    {
        var hash = ApiKeyFormat.Hash(key);
        if (_operatorHash is not null && CryptographicOperations.FixedTimeEquals(hash, _operatorHash))
            return new Caller(null, Role.Admin);
        if (!ApiKeyFormat.IsWellFormed(key)) return null;
        var id = Convert.ToBase64String(hash);
        var now = clock.GetTimestamp();
        if (_recent.TryGetValue(id, out var known) && known.Until > now) return known.Caller;

        Interlocked.Increment(ref _lookups);
        await using var cmd = db.CreateCommand("select workspace_id, role, id, prefix from api_keys where key_hash = @h and revoked_at is null");
        cmd.Parameters.AddWithValue("h", hash);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var caller = new Caller(reader.GetString(0), Enum.Parse<Role>(reader.GetString(1), ignoreCase: true), reader.GetGuid(2), reader.GetString(3));
        if (_cacheTicks > 0)
        {
            if (_recent.Count > 100_000) _recent.Clear(); // bounded: only keys that were valid get here
            _recent[id] = (caller, now + _cacheTicks);
        }
        return caller;
    }

    /// <summary>Forgets every remembered key; called after a revocation.</summary>
    public void Forget() => _recent.Clear();

    public async Task<bool> WorkspaceExistsAsync(string workspaceId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select 1 from workspaces where id = @ws");
        cmd.Parameters.AddWithValue("ws", workspaceId);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>Creates a key and returns it in clear text: the only time it is ever seen.</summary>
    public async Task<IssuedKey> IssueAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string workspaceId, Role role, string? label, CancellationToken ct)
    {
        var key = ApiKeyFormat.Generate();
        var id = Guid.CreateVersion7();
        await using var cmd = new NpgsqlCommand(
            "insert into api_keys (id, workspace_id, role, key_hash, prefix, label) values (@id, @ws, @role, @hash, @prefix, @label) returning created_at",
            conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("ws", workspaceId);
        cmd.Parameters.AddWithValue("role", role.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("hash", ApiKeyFormat.Hash(key));
        cmd.Parameters.AddWithValue("prefix", ApiKeyFormat.DisplayPrefix(key));
        cmd.Parameters.AddWithValue("label", (object?)label ?? DBNull.Value);
        var created = (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
        return new IssuedKey(id, workspaceId, role, key, ApiKeyFormat.DisplayPrefix(key), label, new DateTimeOffset(created, TimeSpan.Zero));
    }
}

/// <summary>A newly issued key. <see cref="Key"/> is shown only in this answer.</summary>
public sealed record IssuedKey(Guid Id, string WorkspaceId, Role Role, string Key, string Prefix, string? Label, DateTimeOffset CreatedAt);
