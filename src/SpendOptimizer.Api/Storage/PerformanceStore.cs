using Npgsql;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Storage;

public sealed class PerformanceStore(NpgsqlDataSource db)
{
    /// <summary>
    /// The first day of the workspace's week holding <c>date</c>, in SQL: every weekly figure is summed over the workspace's own
    /// weeks, the ones its weekly rows are dated on (date_trunc('week') would always start them on Monday).
    /// </summary>
    private const string WeekOf = "(date - (extract(isodow from date)::int - (select week_start from workspaces where id = @ws) + 7) % 7)";

    /// <summary>
    /// Stores the batch whole, or nothing when a row would overlap stored rows of the other grain for its channel: a weekly row
    /// beside daily rows of its week (or a daily row inside a stored weekly row's week) would count that week twice.
    /// Uploads of one workspace take turns on a lock, so two of different grains cannot both pass the check.
    /// </summary>
    public async Task<(UpsertResult? Stored, IReadOnlyList<GrainClash> Clashes)> UpsertAsync(string ws, IReadOnlyList<PerformanceRow> rows, Grain grain,
        CancellationToken ct)
    {
        rows = Upserts.InKeyOrder(rows, r => $"{r.Date:yyyy-MM-dd} {r.Channel}");
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended('channel_performance ' || @ws, 0))", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("ws", ws);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        var clashes = await ClashesAsync(conn, tx, ws, rows, grain, ct);
        if (clashes.Count > 0) return (null, clashes);
        await using var cmd = new NpgsqlCommand("""
            insert into channel_performance as t
                (workspace_id, date, channel, grain, spend, impressions, clicks, conversions, revenue, new_customers)
            select @ws, * from unnest(@date, @channel, @grain, @spend, @impressions, @clicks, @conversions, @revenue, @new_customers)
            on conflict (workspace_id, date, channel) do update set
                grain = excluded.grain, spend = excluded.spend, impressions = excluded.impressions, clicks = excluded.clicks,
                conversions = excluded.conversions, revenue = excluded.revenue, new_customers = excluded.new_customers,
                updated_at = now()
            where (t.grain, t.spend, t.impressions, t.clicks, t.conversions, t.revenue, t.new_customers)
                is distinct from (excluded.grain, excluded.spend, excluded.impressions, excluded.clicks,
                                  excluded.conversions, excluded.revenue, excluded.new_customers)
            returning (xmax = 0)
            """, conn, tx);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("date", rows.Select(r => r.Date).ToArray());
        cmd.Parameters.AddWithValue("channel", rows.Select(r => r.Channel).ToArray());
        cmd.Parameters.AddWithValue("grain", rows.Select(r => r.Grain.ToString().ToLowerInvariant()).ToArray());
        cmd.Parameters.AddWithValue("spend", rows.Select(r => r.Spend).ToArray());
        cmd.Parameters.AddWithValue("impressions", rows.Select(r => r.Impressions).ToArray());
        cmd.Parameters.AddWithValue("clicks", rows.Select(r => r.Clicks).ToArray());
        cmd.Parameters.AddWithValue("conversions", rows.Select(r => r.Conversions).ToArray());
        cmd.Parameters.AddWithValue("revenue", rows.Select(r => r.Revenue).ToArray());
        cmd.Parameters.AddWithValue("new_customers", rows.Select(r => r.NewCustomers).ToArray());
        var stored = await Upserts.CountAsync(cmd, rows.Count, ct);
        await tx.CommitAsync(ct);
        Telemetry.Ingested("performance", rows.Count);
        return (stored, []);
    }

    /// <summary>Rows of the batch whose days overlap stored rows of the other grain for the same channel (a weekly row covers its date and six more).</summary>
    private static async Task<List<GrainClash>> ClashesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string ws, IReadOnlyList<PerformanceRow> rows,
        Grain grain, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select u.date, u.channel, min(t.date), max(t.date), count(*)::int
            from unnest(@date, @channel) as u(date, channel)
            join channel_performance t on t.workspace_id = @ws and t.channel = u.channel and t.grain <> @grain
                and t.date between (case when @grain = 'week' then u.date else u.date - 6 end)
                               and (case when @grain = 'week' then u.date + 6 else u.date end)
            group by u.date, u.channel
            order by u.date, u.channel
            """, conn, tx);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("grain", grain.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("date", rows.Select(r => r.Date).ToArray());
        cmd.Parameters.AddWithValue("channel", rows.Select(r => r.Channel).ToArray());
        var clashes = new List<GrainClash>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            clashes.Add(new GrainClash(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2),
                reader.GetFieldValue<DateOnly>(3), reader.GetInt32(4)));
        return clashes;
    }

    public async Task<Page<PerformanceRow>> ListAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        await using var cmd = db.CreateCommand("""
            select date, channel, grain, spend, impressions, clicks, conversions, revenue, new_customers
            from channel_performance
            where workspace_id = @ws
              and (@from::date is null or date >= @from) and (@to::date is null or date <= @to)
              and (@after_date::date is null or (date, channel) > (@after_date, @after_channel::text))
            order by date, channel
            limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("after_date", after is null ? DBNull.Value : ListQuery.CursorPart(after[0], s => DateOnly.ParseExact(s, "yyyy-MM-dd")));
        cmd.Parameters.AddWithValue("after_channel", (object?)after?[1] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", pageSize + 1);
        var items = new List<PerformanceRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new PerformanceRow(
                reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetDouble(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), Enum.Parse<Grain>(reader.GetString(2), true)));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.Date.ToString("yyyy-MM-dd"), last.Channel));
    }

    /// <summary>The last day the loaded data covers: a weekly row covers its date and the six days after.</summary>
    public async Task<DateOnly?> LastDateAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select max(case grain when 'week' then date + 6 else date end) from channel_performance where workspace_id = @ws");
        cmd.Parameters.AddWithValue("ws", ws);
        return await cmd.ExecuteScalarAsync(ct) is DateOnly d ? d : null;
    }

    /// <summary>
    /// Today's plan when a request does not give it: each channel's spend in the latest week (of the workspace's) whose data is complete,
    /// i.e. every channel with rows in that week has all seven days of it (a weekly row counts as seven). Null: no such week.
    /// </summary>
    public async Task<(DateOnly Week, IReadOnlyDictionary<string, double> Spend)?> LastCompleteWeekAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            with weeks as (
                select {WeekOf} as week, channel, sum(spend) as spend, sum(case grain when 'week' then 7 else 1 end) as days
                from channel_performance where workspace_id = @ws group by 1, 2),
            complete as (select week from weeks group by week having min(days) >= 7 order by week desc limit 1)
            select w.week, w.channel, w.spend from weeks w join complete using (week)
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        var spend = new Dictionary<string, double>();
        DateOnly? week = null;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            week = reader.GetFieldValue<DateOnly>(0);
            spend[reader.GetString(1)] = reader.GetDouble(2);
        }
        return week is { } w ? (w, spend) : null;
    }

    /// <summary>
    /// Per channel and week (starting on the workspace's week start), summed from daily rows or taken from weekly ones: the series response
    /// curves, calibration and KPIs read. Weeks are filled in by SQL so only one row per channel-week travels.
    /// </summary>
    public async Task<IReadOnlyList<WeeklyPerformance>> WeeklyAsync(string ws, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            select {WeekOf} as week, channel,
                   sum(spend), sum(conversions), sum(revenue), sum(new_customers),
                   sum(case grain when 'week' then 7 else 1 end)::int
            from channel_performance
            where workspace_id = @ws and (@from::date is null or date >= @from) and (@to::date is null or date <= @to)
            group by 1, 2
            order by 2, 1
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)from ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)to ?? DBNull.Value);
        var rows = new List<WeeklyPerformance>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new WeeklyPerformance(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetDouble(2),
                reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt32(6)));
        return rows;
    }

    /// <summary>
    /// Per channel and period: the workspace's week or a month (a weekly row counts in the month of its first day), or the whole window
    /// when <paramref name="unit"/> is null; summed in PostgreSQL, periods in order.
    /// </summary>
    public async Task<IReadOnlyList<PeriodPerformance>> PeriodsAsync(string ws, DateOnly? from, DateOnly? to, string? unit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            select case when @unit = 'week' then {WeekOf} else date_trunc(@unit, date)::date end, channel, min(date), sum(spend), sum(conversions), sum(revenue), sum(new_customers)
            from channel_performance
            where workspace_id = @ws and (@from::date is null or date >= @from) and (@to::date is null or date <= @to)
            group by 1, 2
            order by 1, 2
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("unit", NpgsqlTypes.NpgsqlDbType.Text, (object?)unit ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", (object?)from ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)to ?? DBNull.Value);
        var rows = new List<PeriodPerformance>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new PeriodPerformance(reader.IsDBNull(0) ? reader.GetFieldValue<DateOnly>(2) : reader.GetFieldValue<DateOnly>(0), reader.GetString(1),
                new KpiTotals(reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6))));
        if (unit is null && rows.Count > 0)
        {
            // One period for the whole window: it starts at from, or at the first day with data.
            var start = from ?? rows.Min(r => r.Period);
            rows = rows.Select(r => r with { Period = start }).ToList();
        }
        return rows;
    }
}

/// <summary>One channel's totals over the period starting <see cref="Period"/>.</summary>
public sealed record PeriodPerformance(DateOnly Period, string Channel, KpiTotals Totals);
