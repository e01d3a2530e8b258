using Microsoft.AspNetCore.Hosting;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// A host for hostile traffic: bodies up to 16 MB (so 10^6 columns and multi-megabyte fields reach the parsers
/// rather than the size limit) and no rate limit in the way of a few thousand requests.
/// </summary>
public static class HostileHost
{
    public static ApiFactory Create() => new()
    {
        Configure = b =>
        {
            b.UseSetting("SpendOptimizer:MaxBodyBytes", (16 * 1024 * 1024).ToString());
            b.UseSetting("SpendOptimizer:RateLimitPerSecond", "1000000");
            b.UseSetting("SpendOptimizer:RateLimitBurst", "1000000");
        },
    };

    /// <summary>One digest of every row the workspace owns in every table, for "nothing changed" checks.</summary>
    public static async Task<string> FingerprintAsync(string ws)
    {
        await using var db = await ApiFactory.OpenDbAsync();
        var parts = string.Join(" union all ", WorkspaceTables.All.Select(t => $"select '{t}:' || t::text as x from {t} t where workspace_id = @ws"));
        await using var cmd = new Npgsql.NpgsqlCommand($"select md5(coalesce(string_agg(x, '|' order by x), '')) from ({parts}) all_rows", db);
        cmd.Parameters.AddWithValue("ws", ws);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
