using System.Reflection;
using Npgsql;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Applies the embedded, versioned SQL files in name order, each once, each in its own transaction.
/// A session-level advisory lock serialises instances that start together, so running twice,
/// or on two instances at once, applies every file exactly once.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const long LockId = 0x5350_454E_444F_5054; // "SPENDOPT"

    public static IReadOnlyList<(string Version, string Sql)> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "SpendOptimizer.Api.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[prefix.Length..^4], Read(assembly, n)))
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await Execute(conn, "select pg_advisory_lock(@id)", ct, LockId);
        try
        {
            await Execute(conn, """
                create table if not exists schema_migrations (
                    version text primary key,
                    applied_at timestamptz not null default now())
                """, ct);
            var applied = 0;
            foreach (var (version, sql) in Scripts())
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var check = new NpgsqlCommand("select 1 from schema_migrations where version = @v", conn, tx))
                {
                    check.Parameters.AddWithValue("v", version);
                    if (await check.ExecuteScalarAsync(ct) is not null) continue;
                }
                await using (var run = new NpgsqlCommand(sql, conn, tx)) await run.ExecuteNonQueryAsync(ct);
                await using (var mark = new NpgsqlCommand("insert into schema_migrations (version) values (@v)", conn, tx))
                {
                    mark.Parameters.AddWithValue("v", version);
                    await mark.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Version}", version);
                applied++;
            }
            return applied;
        }
        finally
        {
            await Execute(conn, "select pg_advisory_unlock(@id)", CancellationToken.None, LockId);
        }
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct, long? id = null)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (id is { } value) cmd.Parameters.AddWithValue("id", value);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
