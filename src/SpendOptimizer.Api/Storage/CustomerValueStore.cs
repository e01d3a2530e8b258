using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Json;

namespace SpendOptimizer.Api.Storage;

/// <summary>Customers with the same purchase history, as one row: (x, t_x, T) in days, m_x, how many, and their holdout repeat days.</summary>
public sealed record RfmTuple(string? Group, int Frequency, int RecencyDays, int AgeDays, double? MeanRepeatValue, long Customers, long HoldoutTransactions);

/// <summary>One acquisition cohort of subscribers: Survivors[t] still subscribed after t months; FirstMrr the sum of their first MRR.</summary>
public sealed record SurvivorCohort(string? Group, DateOnly Cohort, IReadOnlyList<double> Survivors, double FirstMrr);

/// <summary>
/// Sufficient statistics of the customer-value models, aggregated in PostgreSQL so no customer's rows leave the database,
/// and the stored fits. Days are UTC dates.
/// </summary>
public sealed class CustomerValueStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Orders: a customer's transactions are its order days (orders on one day are one transaction of their summed revenue).
    /// The first order day d0 starts the customer; its group is the customers row's channel, else the channel of its earliest
    /// order naming one, else 'unknown'. Over calibration days (≤ end): x = repeat days after d0, t_x = last such day − d0
    /// (0 when x = 0), T = end − d0, m_x = mean revenue of the repeat days. Customers first seen on or after end have T = 0:
    /// their likelihood is 1 whatever the parameters, so leaving them out changes nothing. Holdout = order days after end.
    /// </summary>
    private const string RfmSql = """
        with days as (
            select customer_id, (ordered_at at time zone 'UTC')::date as day, sum(revenue) as value,
                   (array_agg(acquisition_channel order by ordered_at, seq) filter (where acquisition_channel is not null))[1] as channel
            from orders where workspace_id = @ws group by 1, 2
        ),
        per_customer as (
            select customer_id, min(day) as d0,
                   (array_agg(channel order by day) filter (where channel is not null))[1] as channel,
                   count(*) filter (where day <= @end) - 1 as x,
                   max(day) filter (where day <= @end) as last_day,
                   sum(value) filter (where day <= @end) as calibration_value,
                   count(*) filter (where day > @end) as holdout,
                   (array_agg(value order by day))[1] as first_value
            from days group by customer_id
        ),
        acquired as (
            select case when @by_channel then coalesce(c.acquisition_channel, p.channel, 'unknown') end as grp,
                   p.x::int as x, p.last_day - p.d0 as tx, @end - p.d0 as t,
                   case when p.x > 0 then (p.calibration_value - p.first_value) / p.x end as mx, p.holdout
            from per_customer p left join customers c on c.workspace_id = @ws and c.customer_id = p.customer_id
            where p.d0 < @end
        )
        select grp, x, tx, t, mx, count(*), sum(holdout)::bigint
        from acquired group by grp, x, tx, t, mx order by grp nulls first, x, tx, t, mx
        """;

    /// <summary>
    /// Subscriptions: a subscriber starts on its first started_at day s0 and churns on its last ended_at day, unless a
    /// subscription is open or ends after end (then it is active at end); gaps between subscriptions are not churn. Its group is
    /// the customers row's channel, else its first subscription's. Cohorts are (group, month of s0); a cohort is observed for
    /// n = the fewest whole months any member has between s0 and end, and Survivors[t] (t = 0 … n) counts members not churned
    /// within t whole months of s0. Cohorts with n = 0 carry no renewal and are left out. Only subscribers whose s0 is on or
    /// before @acquired_by count, so the holdout follows the calibration's subscribers to a later end.
    /// </summary>
    private const string SurvivorSql = """
        with subs as (
            select customer_id, (min(started_at) at time zone 'UTC')::date as s0,
                   (array_agg(acquisition_channel order by started_at))[1] as channel,
                   (array_agg(mrr order by started_at))[1] as first_mrr,
                   case when bool_or(ended_at is null or (ended_at at time zone 'UTC')::date > @end) then null
                        else (max(ended_at) at time zone 'UTC')::date end as churned_on
            from subscriptions where workspace_id = @ws and (started_at at time zone 'UTC')::date <= @end
            group by customer_id having (min(started_at) at time zone 'UTC')::date <= @acquired_by
        ),
        per_subscriber as (
            select case when @by_channel then coalesce(c.acquisition_channel, s.channel) end as grp,
                   date_trunc('month', s.s0)::date as cohort, s.first_mrr,
                   (extract(year from age(@end, s.s0)) * 12 + extract(month from age(@end, s.s0)))::int as observed,
                   (extract(year from age(s.churned_on, s.s0)) * 12 + extract(month from age(s.churned_on, s.s0)))::int as lived
            from subs s left join customers c on c.workspace_id = @ws and c.customer_id = s.customer_id
        ),
        cohorts as (
            select grp, cohort, min(observed) as n, sum(first_mrr) as first_mrr from per_subscriber group by grp, cohort
        ),
        cells as (
            select c.grp, c.cohort, k, count(*) filter (where p.lived is null or p.lived >= k)::float8 as survivors
            from cohorts c cross join generate_series(0, c.n) as k
            join per_subscriber p on p.grp is not distinct from c.grp and p.cohort = c.cohort
            where c.n >= 1
            group by c.grp, c.cohort, k
        )
        select e.grp, e.cohort, array_agg(e.survivors order by e.k), max(c.first_mrr)
        from cells e join cohorts c on c.grp is not distinct from e.grp and c.cohort = e.cohort
        group by e.grp, e.cohort order by e.grp nulls first, e.cohort
        """;

    public async Task<IReadOnlyList<RfmTuple>> RfmAsync(string ws, DateOnly end, bool byChannel, CancellationToken ct)
    {
        await using var cmd = Command(RfmSql, ws, end, byChannel);
        var rows = new List<RfmTuple>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new RfmTuple(r.IsDBNull(0) ? null : r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? 0 : r.GetInt32(2), r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetDouble(4), r.GetInt64(5), r.GetInt64(6)));
        return rows;
    }

    /// <param name="acquiredBy">The last day a counted subscriber may have started (default <paramref name="end"/>).</param>
    public async Task<IReadOnlyList<SurvivorCohort>> SurvivorsAsync(string ws, DateOnly end, bool byChannel, CancellationToken ct, DateOnly? acquiredBy = null)
    {
        await using var cmd = Command(SurvivorSql, ws, end, byChannel);
        cmd.Parameters.AddWithValue("acquired_by", acquiredBy ?? end);
        var rows = new List<SurvivorCohort>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new SurvivorCohort(r.IsDBNull(0) ? null : r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetFieldValue<double[]>(2), r.GetDouble(3)));
        return rows;
    }

    /// <summary>The source's last day with data, or null when it holds none for the workspace.</summary>
    public async Task<DateOnly?> LastDayAsync(string ws, bool orders, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(orders
            ? "select (max(ordered_at) at time zone 'UTC')::date from orders where workspace_id = @ws"
            : "select (max(greatest(started_at, coalesce(ended_at, started_at))) at time zone 'UTC')::date from subscriptions where workspace_id = @ws");
        cmd.Parameters.AddWithValue("ws", ws);
        return await cmd.ExecuteScalarAsync(ct) is DateOnly d ? d : null;
    }

    /// <summary>Margin over revenue of the calibration orders that state one (gross_margin share, or revenue − cost); null when none does.</summary>
    public async Task<double?> MarginAsync(string ws, DateOnly end, CancellationToken ct)
    {
        await using var cmd = Command("""
            select sum(coalesce(revenue * gross_margin, revenue - cost))
                   / nullif(sum(revenue) filter (where gross_margin is not null or cost is not null), 0)
            from orders where workspace_id = @ws and (ordered_at at time zone 'UTC')::date <= @end
            """, ws, end, false);
        return await cmd.ExecuteScalarAsync(ct) is double m ? m : null;
    }

    /// <summary>The fit and its groups' CLV draws (group null: pooled), together or not at all.</summary>
    public async Task SaveAsync(string ws, CustomerValueFitRequest request, CustomerValueFitResponse fit,
        IReadOnlyList<(string? Group, IReadOnlyList<double> Draws)> draws, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            insert into customer_value_fits (id, workspace_id, created_at, model, request, answer)
            values (@id, @ws, @created, @model, @request, @answer)
            """);
        insert.Parameters.AddWithValue("id", fit.Id);
        insert.Parameters.AddWithValue("ws", ws);
        insert.Parameters.AddWithValue("created", fit.CreatedAt);
        insert.Parameters.AddWithValue("model", fit.Model);
        insert.Parameters.AddWithValue("request", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(request, ApiJson.Options));
        insert.Parameters.AddWithValue("answer", NpgsqlDbType.Json, JsonSerializer.Serialize(fit, ApiJson.Options));
        batch.BatchCommands.Add(insert);
        foreach (var (group, values) in draws)
        {
            var row = new NpgsqlBatchCommand("insert into customer_value_draws (fit_id, grp, draws) values (@id, @grp, @draws)");
            row.Parameters.AddWithValue("id", fit.Id);
            row.Parameters.Add(new NpgsqlParameter("grp", NpgsqlDbType.Text) { Value = (object?)group ?? DBNull.Value });
            row.Parameters.AddWithValue("draws", values.ToArray());
            batch.BatchCommands.Add(row);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A group's stored CLV draws (group null: pooled), or null when the fit kept none for it.</summary>
    public async Task<double[]?> DrawsAsync(Guid fitId, string? group, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select draws from customer_value_draws where fit_id = @id and grp is not distinct from @grp");
        cmd.Parameters.AddWithValue("id", fitId);
        cmd.Parameters.Add(new NpgsqlParameter("grp", NpgsqlDbType.Text) { Value = (object?)group ?? DBNull.Value });
        return await cmd.ExecuteScalarAsync(ct) as double[];
    }

    /// <summary>One fit, or the newest when <paramref name="id"/> is null.</summary>
    public async Task<CustomerValueFitResponse?> GetAsync(string ws, Guid? id, CancellationToken ct) =>
        (await QueryAsync(ws, id, null, 1, null, ct)).FirstOrDefault();

    /// <summary>Fits newest first; from/to filter the day they were made (UTC).</summary>
    public async Task<Page<CustomerValueFitResponse>> ListAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        (DateTimeOffset, Guid)? key = after is null ? null
            : (ListQuery.CursorPart(after[0], s => new DateTimeOffset(long.Parse(s), TimeSpan.Zero)), ListQuery.CursorPart(after[1], Guid.Parse));
        var items = await QueryAsync(ws, null, q, pageSize + 1, key, ct);
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.CreatedAt.UtcTicks.ToString(), last.Id.ToString()));
    }

    private async Task<List<CustomerValueFitResponse>> QueryAsync(string ws, Guid? id, ListQuery? q, int limit,
        (DateTimeOffset CreatedAt, Guid Id)? before, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select answer::text from customer_value_fits
            where workspace_id = @ws and (@id::uuid is null or id = @id)
              and (@from::date is null or created_at >= @from::date) and (@to::date is null or created_at < @to::date + 1)
              and (@before_at::timestamptz is null or (created_at, id) < (@before_at, @before_id::uuid))
            order by created_at desc, id desc
            limit @n
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("id", (object?)id ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", (object?)q?.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q?.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before_at", (object?)before?.CreatedAt ?? DBNull.Value);
        cmd.Parameters.AddWithValue("before_id", (object?)before?.Id ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", limit);
        var fits = new List<CustomerValueFitResponse>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            fits.Add(JsonSerializer.Deserialize<CustomerValueFitResponse>(reader.GetString(0), ApiJson.Options)!);
        return fits;
    }

    private NpgsqlCommand Command(string sql, string ws, DateOnly end, bool byChannel)
    {
        var cmd = db.CreateCommand(sql);
        // One pass over every order or subscription of the workspace: on a loaded machine that outlasts the 30 s default,
        // and the request's cancellation already bounds it.
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("end", end);
        cmd.Parameters.AddWithValue("by_channel", byChannel);
        return cmd;
    }
}
