using System.Text.Json;
using Npgsql;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Json;

namespace SpendOptimizer.Api.Storage;

/// <summary>Comparisons, each one row holding the request and the answer as sent: one is read only whole.</summary>
public sealed class ScenarioStore(NpgsqlDataSource db)
{
    public Task SaveAsync(string ws, CreateScenariosRequest request, ScenarioComparisonResponse comparison, CancellationToken ct) =>
        WholeAnswers.SaveAsync(db, "scenarios", ws, comparison.Id, comparison.CreatedAt, request, comparison, ct);

    /// <summary>One comparison of the workspace, or its newest when <paramref name="id"/> is null.</summary>
    public Task<ScenarioComparisonResponse?> GetAsync(string ws, Guid? id, CancellationToken ct) => WholeAnswers.GetAsync<ScenarioComparisonResponse>(db, "scenarios", ws, id, ct);

    /// <summary>Newest first; from and to filter the day (UTC) each was made.</summary>
    public async Task<Page<ScenarioComparisonResponse>> ListAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        await using var cmd = db.CreateCommand("""
            select answer::text from scenarios
            where workspace_id = @ws
              and (@from::date is null or (created_at at time zone 'UTC')::date >= @from)
              and (@to::date is null or (created_at at time zone 'UTC')::date <= @to)
              and (@before_at::timestamptz is null or (created_at, id) < (@before_at, @before_id::uuid))
            order by created_at desc, id desc limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before_at", after is null ? DBNull.Value : ListQuery.CursorPart(after[0], s => new DateTimeOffset(long.Parse(s), TimeSpan.Zero)));
        cmd.Parameters.AddWithValue("before_id", after is null ? DBNull.Value : ListQuery.CursorPart(after[1], Guid.Parse));
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var items = new List<ScenarioComparisonResponse>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                items.Add(JsonSerializer.Deserialize<ScenarioComparisonResponse>(r.GetString(0), ApiJson.Options)!);
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.CreatedAt.UtcTicks.ToString(), last.Id.ToString()));
    }
}
