using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;

namespace SpendOptimizer.Api.Storage;

/// <summary>Customers, orders and subscriptions: streamed loads into binary COPY, recorded per load, and keyset-paged lists.</summary>
public sealed class CustomerStore(NpgsqlDataSource db)
{
    /// <summary>How one kind of row is read from an upload and written to its table.</summary>
    public sealed record Table<T>(string Kind, string Copy, Func<InputRow, T> Parse, Action<NpgsqlBinaryImporter, T> Write);

    public static readonly Table<Customer> Customers = new("customers",
        "copy customers (workspace_id, customer_id, acquired_at, acquisition_channel, segment, plan, load_id) from stdin (format binary)",
        CustomerUpload.Parse, (w, c) =>
        {
            w.Write(c.CustomerId, NpgsqlDbType.Text);
            w.Write(c.AcquiredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            w.Write(c.AcquisitionChannel, NpgsqlDbType.Text);
            Text(w, c.Segment);
            Text(w, c.Plan);
        });

    public static readonly Table<Order> Orders = new("orders",
        "copy orders (workspace_id, order_id, customer_id, ordered_at, revenue, gross_margin, cost, acquisition_channel, load_id) from stdin (format binary)",
        OrderUpload.Parse, (w, o) =>
        {
            Text(w, o.OrderId);
            w.Write(o.CustomerId, NpgsqlDbType.Text);
            w.Write(o.OrderedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            w.Write(o.Revenue, NpgsqlDbType.Double);
            Number(w, o.GrossMargin);
            Number(w, o.Cost);
            Text(w, o.AcquisitionChannel);
        });

    public static readonly Table<Subscription> Subscriptions = new("subscriptions",
        "copy subscriptions (workspace_id, customer_id, started_at, ended_at, mrr, acquisition_channel, load_id) from stdin (format binary)",
        SubscriptionUpload.Parse, (w, s) =>
        {
            w.Write(s.CustomerId, NpgsqlDbType.Text);
            w.Write(s.StartedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            if (s.EndedAt is { } e) w.Write(e.UtcDateTime, NpgsqlDbType.TimestampTz); else w.WriteNull();
            w.Write(s.Mrr, NpgsqlDbType.Double);
            w.Write(s.AcquisitionChannel, NpgsqlDbType.Text);
        });

    private static void Text(NpgsqlBinaryImporter w, string? v)
    {
        if (v is null) w.WriteNull(); else w.Write(v, NpgsqlDbType.Text);
    }

    private static void Number(NpgsqlBinaryImporter w, double? v)
    {
        if (v is { } d) w.Write(d, NpgsqlDbType.Double); else w.WriteNull();
    }

    /// <summary>
    /// As touchpoints load: rows stream from the request into a binary COPY; the first bad row stops writing (the rest is
    /// only read for more error reports), and an uncompleted COPY is cancelled, so a failed load leaves nothing behind.
    /// </summary>
    public async Task<CustomerLoadResult> LoadAsync<T>(Table<T> table, string ws, string? idempotencyKey, IRowSource source, InputRow row,
        RowErrors errors, int maxErrors, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long rows = 0;
        var loadId = Guid.CreateVersion7();
        await using (var importer = await conn.BeginBinaryImportAsync(table.Copy, ct))
        {
            while (await source.ReadAsync(row, ct))
            {
                var item = table.Parse(row);
                if (row.Failed)
                {
                    if (errors.Count >= maxErrors) break;
                    continue;
                }
                if (errors.Count > 0) continue;
                importer.StartRow();
                importer.Write(ws, NpgsqlDbType.Text);
                table.Write(importer, item);
                importer.Write(loadId, NpgsqlDbType.Uuid);
                rows++;
            }
            errors.ThrowIfAny();
            await importer.CompleteAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("""
            insert into customer_loads (id, workspace_id, kind, rows, idempotency_key) values (@id, @ws, @kind, @rows, @key)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", loadId);
            cmd.Parameters.AddWithValue("ws", ws);
            cmd.Parameters.AddWithValue("kind", table.Kind);
            cmd.Parameters.AddWithValue("rows", rows);
            cmd.Parameters.AddWithValue("key", (object?)idempotencyKey ?? DBNull.Value);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new CustomerLoadResult(loadId, table.Kind, rows);
    }

    /// <summary>The committed load of this kind sent with this Idempotency-Key, if any.</summary>
    public async Task<CustomerLoadResult?> FindLoadAsync(string ws, string kind, string idempotencyKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select id, rows from customer_loads where workspace_id = @ws and kind = @kind and idempotency_key = @key");
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("key", idempotencyKey);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new CustomerLoadResult(reader.GetGuid(0), kind, reader.GetInt64(1)) : null;
    }

    /// <summary>Customers by id; from/to filter the acquisition day (UTC).</summary>
    public async Task<Page<Customer>> ListCustomersAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(1);
        await using var cmd = db.CreateCommand("""
            select customer_id, acquired_at, acquisition_channel, segment, plan from customers
            where workspace_id = @ws
              and (@from::date is null or acquired_at >= @from::date) and (@to::date is null or acquired_at < @to::date + 1)
              and (@c::text is null or customer_id > @c)
            order by customer_id limit @n
            """);
        Window(cmd, ws, q, pageSize);
        cmd.Parameters.AddWithValue("c", (object?)after?[0] ?? DBNull.Value);
        var items = new List<Customer>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new Customer(reader.GetString(0), Utc(reader, 1), reader.GetString(2), Nullable(reader, 3), Nullable(reader, 4)));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.CustomerId));
    }

    /// <summary>Orders by customer and time; from/to filter the order day (UTC).</summary>
    public async Task<Page<Order>> ListOrdersAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(3);
        await using var cmd = db.CreateCommand("""
            select order_id, customer_id, ordered_at, revenue, gross_margin, cost, acquisition_channel, seq from orders
            where workspace_id = @ws
              and (@from::date is null or ordered_at >= @from::date) and (@to::date is null or ordered_at < @to::date + 1)
              and (@c::text is null or (customer_id, ordered_at, seq) > (@c, @at::timestamptz, @seq::bigint))
            order by customer_id, ordered_at, seq limit @n
            """);
        Window(cmd, ws, q, pageSize);
        cmd.Parameters.AddWithValue("c", (object?)after?[0] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("at", after is null ? DBNull.Value : ListQuery.CursorPart(after[1], s => new DateTime(long.Parse(s), DateTimeKind.Utc)));
        cmd.Parameters.AddWithValue("seq", after is null ? DBNull.Value : ListQuery.CursorPart(after[2], long.Parse));
        var items = new List<(Order Order, long Seq)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add((new Order(Nullable(reader, 0), reader.GetString(1), Utc(reader, 2), reader.GetDouble(3), NullableNumber(reader, 4),
                NullableNumber(reader, 5), Nullable(reader, 6)), reader.GetInt64(7)));
        var page = Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.Order.CustomerId, last.Order.OrderedAt.UtcTicks.ToString(), last.Seq.ToString()));
        return new Page<Order>([.. page.Items.Select(i => i.Order)], page.NextCursor);
    }

    /// <summary>Subscriptions by customer and start; from/to filter the start day (UTC).</summary>
    public async Task<Page<Subscription>> ListSubscriptionsAsync(string ws, ListQuery q, int pageSize, CancellationToken ct)
    {
        var after = q.DecodeCursor(2);
        await using var cmd = db.CreateCommand("""
            select customer_id, started_at, ended_at, mrr, acquisition_channel from subscriptions
            where workspace_id = @ws
              and (@from::date is null or started_at >= @from::date) and (@to::date is null or started_at < @to::date + 1)
              and (@c::text is null or (customer_id, started_at) > (@c, @at::timestamptz))
            order by customer_id, started_at limit @n
            """);
        Window(cmd, ws, q, pageSize);
        cmd.Parameters.AddWithValue("c", (object?)after?[0] ?? DBNull.Value);
        cmd.Parameters.AddWithValue("at", after is null ? DBNull.Value : ListQuery.CursorPart(after[1], s => new DateTime(long.Parse(s), DateTimeKind.Utc)));
        var items = new List<Subscription>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new Subscription(reader.GetString(0), Utc(reader, 1), reader.IsDBNull(2) ? null : Utc(reader, 2), reader.GetDouble(3), reader.GetString(4)));
        return Paging.Page(items, pageSize, last => ListQuery.EncodeCursor(last.CustomerId, last.StartedAt.UtcTicks.ToString()));
    }

    private static void Window(NpgsqlCommand cmd, string ws, ListQuery q, int pageSize)
    {
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("from", (object?)q.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)q.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", pageSize + 1);
    }

    private static DateTimeOffset Utc(NpgsqlDataReader r, int i) => new(r.GetDateTime(i), TimeSpan.Zero);
    private static string? Nullable(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static double? NullableNumber(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
