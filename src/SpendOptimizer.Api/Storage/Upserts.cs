using Npgsql;
using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Storage;

public static class Upserts
{
    /// <summary>
    /// Runs an "insert … on conflict do update … where changed returning (xmax = 0)" and counts:
    /// true rows are inserts, false rows updates, rows not returned were already stored as sent.
    /// </summary>
    public static async Task<UpsertResult> CountAsync(NpgsqlCommand cmd, int received, CancellationToken ct)
    {
        int inserted = 0, updated = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (reader.GetBoolean(0)) inserted++; else updated++;
        return new UpsertResult(received, inserted, updated, received - inserted - updated);
    }

    /// <summary>
    /// Concurrent upserts whose rows overlap deadlock when they lock the same keys in different orders; batches
    /// sorted by key all lock in one order, so they wait for each other instead.
    /// </summary>
    public static List<T> InKeyOrder<T>(IEnumerable<T> rows, Func<T, string> key) => rows.OrderBy(key, StringComparer.Ordinal).ToList();
}
