using Npgsql;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Storage;

public sealed class PerformanceStore(NpgsqlDataSource db)
{
    /// <summary>One statement over arrays: the batch is stored whole or not at all.</summary>
    public async Task<UpsertResult> UpsertAsync(string ws, IReadOnlyList<PerformanceRow> rows, CancellationToken ct)
    {
        rows = Upserts.InKeyOrder(rows, r => $"{r.Date:yyyy-MM-dd} {r.Channel}");
        await using var cmd = db.CreateCommand("""
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
            """);
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
        return await Upserts.CountAsync(cmd, rows.Count, ct);
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

    public async Task<DateOnly?> LastDateAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select max(date) from channel_performance where workspace_id = @ws");
        cmd.Parameters.AddWithValue("ws", ws);
        return await cmd.ExecuteScalarAsync(ct) is DateOnly d ? d : null;
    }

    /// <summary>
    /// Today's plan when a request does not give it: each channel's spend in the latest week (Monday) whose data is complete,
    /// i.e. every channel with rows in that week has all seven days of it (a weekly row counts as seven). Null: no such week.
    /// </summary>
    public async Task<(DateOnly Week, IReadOnlyDictionary<string, double> Spend)?> LastCompleteWeekAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            with weeks as (
                select date_trunc('week', date)::date as week, channel, sum(spend) as spend, sum(case grain when 'week' then 7 else 1 end) as days
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
    /// Per channel and ISO week (Monday), summed from daily rows or taken from weekly ones: the series response
    /// curves, calibration and KPIs read. Weeks are filled in by SQL so only one row per channel-week travels.
    /// </summary>
    public async Task<IReadOnlyList<WeeklyPerformance>> WeeklyAsync(string ws, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select date_trunc('week', date)::date as week, channel,
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
    /// Per channel and period: ISO week or month (a weekly row counts in the month of its Monday), or the whole window
    /// when <paramref name="unit"/> is null; summed in PostgreSQL, periods in order.
    /// </summary>
    public async Task<IReadOnlyList<PeriodPerformance>> PeriodsAsync(string ws, DateOnly? from, DateOnly? to, string? unit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select date_trunc(@unit, date)::date, channel, min(date), sum(spend), sum(conversions), sum(revenue), sum(new_customers)
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
