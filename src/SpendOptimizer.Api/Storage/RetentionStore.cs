using Npgsql;
using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Retention figures, grouped in PostgreSQL: per-customer facts are folded into one row per channel and cohort inside the
/// query, so no customer's rows leave the database. Days are UTC dates; d0 is the acquisition day and "last" the last
/// day the source holds any data for the workspace.
/// </summary>
public sealed class RetentionStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Acquisition: the customers row when there is one (a customers upload wins), else the first order (subscription),
    /// with the channel of the earliest order naming one (the first subscription's), else 'unknown'. Only customers
    /// with activity in the source are counted.
    /// </summary>
    private static string Acquired(RetentionSource source) => source == RetentionSource.Orders
        ? $"""
          firsts as (
              select customer_id, min(ordered_at) as first_at,
                     (array_agg(acquisition_channel order by ordered_at, seq) filter (where acquisition_channel is not null))[1] as channel
              from orders where workspace_id = @ws group by customer_id
          ),
          last_day (d) as ({LastDay(source)}),
          activity as (
              select customer_id, revenue, gross_margin, cost, (ordered_at at time zone 'UTC')::date as day
              from orders where workspace_id = @ws
          ),
          """
        : $"""
          firsts as (
              select customer_id, min(started_at) as first_at, (array_agg(acquisition_channel order by started_at))[1] as channel
              from subscriptions where workspace_id = @ws group by customer_id
          ),
          last_day (d) as ({LastDay(source)}),
          activity as (
              select customer_id, mrr, (started_at at time zone 'UTC')::date as sd, (ended_at at time zone 'UTC')::date as ed
              from subscriptions where workspace_id = @ws
          ),
          """;

    /// <summary>The last day the source holds any data for the workspace: windows ending after it have not elapsed.</summary>
    private static string LastDay(RetentionSource source) => source == RetentionSource.Orders
        ? "select (max(ordered_at) at time zone 'UTC')::date from orders where workspace_id = @ws"
        : "select (max(greatest(started_at, coalesce(ended_at, started_at))) at time zone 'UTC')::date from subscriptions where workspace_id = @ws";

    private const string AcquiredRows = """
        acquired as (
            select f.customer_id,
                   (coalesce(c.acquired_at, f.first_at) at time zone 'UTC')::date as d0,
                   date_trunc(@cohort, coalesce(c.acquired_at, f.first_at) at time zone 'UTC')::date as cohort,
                   case when @by_channel then coalesce(c.acquisition_channel, f.channel, 'unknown') end as channel,
                   l.d as last
            from firsts f cross join last_day l
            left join customers c on c.workspace_id = @ws and c.customer_id = f.customer_id
        )
        """;

    /// <summary>
    /// Orders: retained at w when an order falls on a later day within (d0, d0 + w]. NRR compares revenue of month 12
    /// [d0 + 12 months, d0 + 13 months) with month 0 [d0, d0 + 1 month), for customers whose month 12 has ended by "last".
    /// </summary>
    private const string OrderFacts = """
        , per_customer as (
            select a.customer_id, a.channel, a.cohort, a.d0, a.last,
                   count(*) as orders, sum(o.revenue) as revenue,
                   sum(coalesce(o.revenue * o.gross_margin, o.revenue - o.cost)) as margin,
                   sum(o.revenue) filter (where o.gross_margin is not null or o.cost is not null) as margin_revenue,
                   sum(o.revenue) as arpa_total,
                   coalesce(bool_or(o.day > a.d0 and o.day <= a.d0 + 7), false) as r7,
                   coalesce(bool_or(o.day > a.d0 and o.day <= a.d0 + 30), false) as r30,
                   coalesce(bool_or(o.day > a.d0 and o.day <= a.d0 + 90), false) as r90,
                   coalesce(bool_or(o.day > a.d0 and o.day <= (a.d0 + interval '12 months')::date), false) as r12m,
                   coalesce(sum(o.revenue) filter (where o.day >= a.d0 and o.day < (a.d0 + interval '1 month')::date), 0) as base,
                   coalesce(sum(o.revenue) filter (where o.day >= (a.d0 + interval '12 months')::date
                                                     and o.day < (a.d0 + interval '13 months')::date), 0) as month12,
                   (a.d0 + interval '13 months')::date <= a.last + 1 as nrr_eligible
            from acquired a join activity o on o.customer_id = a.customer_id
            group by a.customer_id, a.channel, a.cohort, a.d0, a.last
        )
        """;

    /// <summary>
    /// Subscriptions: retained at w when a subscription is active on d0 + w (started on or before it, not ended by it).
    /// NRR compares MRR active on d0 + 12 months with MRR active on d0, for customers whose d0 + 12 months is on or before "last".
    /// </summary>
    private const string SubscriptionFacts = """
        , per_customer as (
            select a.customer_id, a.channel, a.cohort, a.d0, a.last,
                   null::bigint as orders, null::float8 as revenue, null::float8 as margin, null::float8 as margin_revenue,
                   coalesce(sum(s.mrr) filter (where s.sd <= a.d0 and (s.ed is null or s.ed > a.d0)), 0) as arpa_total,
                   coalesce(bool_or(s.sd <= a.d0 + 7 and (s.ed is null or s.ed > a.d0 + 7)), false) as r7,
                   coalesce(bool_or(s.sd <= a.d0 + 30 and (s.ed is null or s.ed > a.d0 + 30)), false) as r30,
                   coalesce(bool_or(s.sd <= a.d0 + 90 and (s.ed is null or s.ed > a.d0 + 90)), false) as r90,
                   coalesce(bool_or(s.sd <= (a.d0 + interval '12 months')::date
                                    and (s.ed is null or s.ed > (a.d0 + interval '12 months')::date)), false) as r12m,
                   coalesce(sum(s.mrr) filter (where s.sd <= a.d0 and (s.ed is null or s.ed > a.d0)), 0) as base,
                   coalesce(sum(s.mrr) filter (where s.sd <= (a.d0 + interval '12 months')::date
                                                 and (s.ed is null or s.ed > (a.d0 + interval '12 months')::date)), 0) as month12,
                   (a.d0 + interval '12 months')::date <= a.last as nrr_eligible
            from acquired a join activity s on s.customer_id = a.customer_id
            group by a.customer_id, a.channel, a.cohort, a.d0, a.last
        )
        """;

    /// <summary>A window counts a customer only once it has fully elapsed: its last day on or before "last".</summary>
    private const string Summary = """
        , grouped as (
            select channel, cohort, count(*) as customers,
                   count(*) filter (where d0 + 7 <= last) as e7, count(*) filter (where d0 + 7 <= last and r7) as k7,
                   count(*) filter (where d0 + 30 <= last) as e30, count(*) filter (where d0 + 30 <= last and r30) as k30,
                   count(*) filter (where d0 + 90 <= last) as e90, count(*) filter (where d0 + 90 <= last and r90) as k90,
                   count(*) filter (where (d0 + interval '12 months')::date <= last) as e12,
                   count(*) filter (where (d0 + interval '12 months')::date <= last and r12m) as k12,
                   sum(orders)::bigint as orders, sum(revenue) as revenue, sum(margin) as margin, sum(margin_revenue) as margin_revenue,
                   sum(arpa_total) as arpa_total,
                   count(*) filter (where nrr_eligible) as nrr_eligible,
                   coalesce(sum(base) filter (where nrr_eligible), 0) as base,
                   coalesce(sum(month12) filter (where nrr_eligible), 0) as month12,
                   coalesce(sum(month12 - base) filter (where nrr_eligible and month12 > base), 0) as expansion,
                   coalesce(sum(month12 - base) filter (where nrr_eligible and month12 > 0 and month12 < base), 0) as contraction,
                   coalesce(sum(-base) filter (where nrr_eligible and month12 = 0), 0) as churned
            from per_customer group by channel, cohort
        )
        select channel, cohort, customers, e7, k7, k7::float8 / nullif(e7, 0), e30, k30, k30::float8 / nullif(e30, 0),
               e90, k90, k90::float8 / nullif(e90, 0), e12, k12, k12::float8 / nullif(e12, 0),
               1 - k30::float8 / nullif(e30, 0), orders, revenue, arpa_total / customers, revenue / nullif(orders, 0),
               margin / nullif(margin_revenue, 0), nrr_eligible, base, month12, expansion, contraction, churned, month12 / nullif(base, 0)
        from grouped order by cohort, channel
        """;

    /// <summary>
    /// Month k of a customer: [d0 + k months, d0 + k + 1 months). Orders: active when it holds an order, counted once
    /// the month has ended by "last". Subscriptions: active when subscribed on d0 + k months, counted once that day is on
    /// or before "last".
    /// </summary>
    private static string Cells(RetentionSource source) => source == RetentionSource.Orders
        ? """
          , cells as (
              select a.channel, a.cohort, k, count(*) as customers,
                     count(*) filter (where (a.d0 + make_interval(months => k + 1))::date <= a.last + 1) as eligible,
                     count(*) filter (where (a.d0 + make_interval(months => k + 1))::date <= a.last + 1 and exists (
                         select 1 from activity o where o.customer_id = a.customer_id
                           and o.day >= (a.d0 + make_interval(months => k))::date and o.day < (a.d0 + make_interval(months => k + 1))::date)) as active
              from acquired a cross join generate_series(0, @months) as k
              group by a.channel, a.cohort, k
          )
          """
        : """
          , cells as (
              select a.channel, a.cohort, k, count(*) as customers,
                     count(*) filter (where (a.d0 + make_interval(months => k))::date <= a.last) as eligible,
                     count(*) filter (where (a.d0 + make_interval(months => k))::date <= a.last and exists (
                         select 1 from activity s where s.customer_id = a.customer_id
                           and s.sd <= (a.d0 + make_interval(months => k))::date
                           and (s.ed is null or s.ed > (a.d0 + make_interval(months => k))::date))) as active
              from acquired a cross join generate_series(0, @months) as k
              group by a.channel, a.cohort, k
          )
          """;

    private const string Triangle = """
        select channel, cohort, max(customers), array_agg(active::float8 / nullif(eligible, 0) order by k)
        from cells group by channel, cohort order by cohort, channel
        """;

    public async Task<bool> HasOrdersAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select exists (select 1 from orders where workspace_id = @ws)");
        cmd.Parameters.AddWithValue("ws", ws);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<DateOnly?> LastDateAsync(string ws, RetentionSource source, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(LastDay(source));
        cmd.Parameters.AddWithValue("ws", ws);
        return await cmd.ExecuteScalarAsync(ct) is DateOnly d ? d : null;
    }

    public async Task<IReadOnlyList<RetentionRow>> SummaryAsync(string ws, RetentionSource source, string cohort, bool byChannel, CancellationToken ct)
    {
        var facts = source == RetentionSource.Orders ? OrderFacts : SubscriptionFacts;
        await using var cmd = Command($"with {Acquired(source)} {AcquiredRows} {facts} {Summary}", ws, cohort, byChannel);
        var rows = new List<RetentionRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new RetentionRow(r.IsDBNull(0) ? null : r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetInt64(2),
                Share(r, 3), Share(r, 6), Share(r, 9), Share(r, 12), Number(r, 15),
                r.IsDBNull(16) ? null : r.GetInt64(16), Number(r, 17), Number(r, 18), Number(r, 19), Number(r, 20),
                r.GetInt64(21), r.GetDouble(22), r.GetDouble(23), r.GetDouble(24), r.GetDouble(25), r.GetDouble(26), Number(r, 27)));
        return rows;
    }

    public async Task<IReadOnlyList<TriangleRow>> TriangleAsync(string ws, RetentionSource source, string cohort, bool byChannel, int months, CancellationToken ct)
    {
        await using var cmd = Command($"with {Acquired(source)} {AcquiredRows} {Cells(source)} {Triangle}", ws, cohort, byChannel);
        cmd.Parameters.AddWithValue("months", months);
        var rows = new List<TriangleRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new TriangleRow(r.IsDBNull(0) ? null : r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetInt64(2), r.GetFieldValue<double?[]>(3)));
        return rows;
    }

    private NpgsqlCommand Command(string sql, string ws, string cohort, bool byChannel)
    {
        var cmd = db.CreateCommand(sql);
        // One pass over every order of the workspace: on a loaded machine that outlasts the 30 s default, and the request's
        // cancellation (a client that leaves) already bounds it.
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("cohort", cohort);
        cmd.Parameters.AddWithValue("by_channel", byChannel);
        return cmd;
    }

    private static RetentionShare Share(NpgsqlDataReader r, int i) => new(r.GetInt64(i), r.GetInt64(i + 1), Number(r, i + 2));
    private static double? Number(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
