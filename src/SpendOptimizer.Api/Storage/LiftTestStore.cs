using Npgsql;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Storage;

public sealed class LiftTestStore(NpgsqlDataSource db)
{
    private const string Columns =
        "id, channel, kind, start_date, end_date, incremental_conversions, incremental_revenue, stderr, ci_lower, ci_upper, ci_level, attributed_conversions, spend";

    public async Task<UpsertResult> UpsertAsync(string ws, IReadOnlyList<LiftTest> rows, CancellationToken ct)
    {
        rows = Upserts.InKeyOrder(rows, r => r.Id);
        await using var cmd = db.CreateCommand($"""
            insert into lift_tests as t (workspace_id, {Columns})
            select @ws, * from unnest(@id, @channel, @kind, @start, @end, @conv::float8[], @rev::float8[], @se::float8[],
                                      @lo::float8[], @hi::float8[], @level, @attr::float8[], @spend::float8[])
            on conflict (workspace_id, id) do update set
                channel = excluded.channel, kind = excluded.kind, start_date = excluded.start_date, end_date = excluded.end_date,
                incremental_conversions = excluded.incremental_conversions, incremental_revenue = excluded.incremental_revenue,
                stderr = excluded.stderr, ci_lower = excluded.ci_lower, ci_upper = excluded.ci_upper, ci_level = excluded.ci_level,
                attributed_conversions = excluded.attributed_conversions, spend = excluded.spend
            where ({Columns.Replace("id, ", "t.").Replace(", ", ", t.")}) is distinct from
                  ({Columns.Replace("id, ", "excluded.").Replace(", ", ", excluded.")})
            returning (xmax = 0)
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", rows.Select(r => r.Id).ToArray());
        cmd.Parameters.AddWithValue("channel", rows.Select(r => r.Channel).ToArray());
        cmd.Parameters.AddWithValue("kind", rows.Select(r => r.Kind.ToString().ToLowerInvariant()).ToArray());
        cmd.Parameters.AddWithValue("start", rows.Select(r => r.Start).ToArray());
        cmd.Parameters.AddWithValue("end", rows.Select(r => r.End).ToArray());
        cmd.Parameters.AddWithValue("conv", rows.Select(r => r.IncrementalConversions).ToArray());
        cmd.Parameters.AddWithValue("rev", rows.Select(r => r.IncrementalRevenue).ToArray());
        cmd.Parameters.AddWithValue("se", rows.Select(r => r.Uncertainty.StandardError).ToArray());
        cmd.Parameters.AddWithValue("lo", rows.Select(r => r.Uncertainty.CiLower).ToArray());
        cmd.Parameters.AddWithValue("hi", rows.Select(r => r.Uncertainty.CiUpper).ToArray());
        cmd.Parameters.AddWithValue("level", rows.Select(r => r.Uncertainty.CiLevel).ToArray());
        cmd.Parameters.AddWithValue("attr", rows.Select(r => r.AttributedConversions).ToArray());
        cmd.Parameters.AddWithValue("spend", rows.Select(r => r.Spend).ToArray());
        var stored = await Upserts.CountAsync(cmd, rows.Count, ct);
        Telemetry.Ingested("lift_tests", rows.Count);
        return stored;
    }

    public async Task<Page<LiftTest>> ListAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        await using var cmd = db.CreateCommand($"""
            select {Columns} from lift_tests
            where workspace_id = @ws
              and (@from::date is null or end_date >= @from) and (@to::date is null or start_date <= @to)
              and (@after_start::date is null or (start_date, id) > (@after_start, @after_id::text))
            order by start_date, id limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("after_start", after is null ? DBNull.Value : ListQuery.CursorPart(after[0], s => DateOnly.ParseExact(s, "yyyy-MM-dd")));
        cmd.Parameters.AddWithValue("after_id", (object?)after?[1] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var items = new List<LiftTest>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new LiftTest(
                reader.GetString(0), reader.GetString(1), Enum.Parse<LiftTestKind>(reader.GetString(2), true),
                reader.GetFieldValue<DateOnly>(3), reader.GetFieldValue<DateOnly>(4),
                reader.GetFieldValue<double?>(5), reader.GetFieldValue<double?>(6),
                new LiftUncertainty(reader.GetFieldValue<double?>(7), reader.GetFieldValue<double?>(8), reader.GetFieldValue<double?>(9), reader.GetDouble(10)),
                reader.GetFieldValue<double?>(11), reader.GetFieldValue<double?>(12)));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.Start.ToString("yyyy-MM-dd"), last.Id));
    }

    /// <summary>Every lift test of the workspace, for calibration.</summary>
    public async Task<IReadOnlyList<LiftTest>> AllAsync(string ws, CancellationToken ct) =>
        (await ListAsync(ws, new ListQuery(), int.MaxValue - 1, ct)).Items;
}
