using Npgsql;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Storage;

public sealed class EconomicsStore(NpgsqlDataSource db)
{
    public async Task<UpsertResult> UpsertAsync(string ws, IReadOnlyList<UnitEconomics> rows, CancellationToken ct)
    {
        rows = Upserts.InKeyOrder(rows, r => r.Channel);
        // unnest cannot carry a ragged double[][], so each row's curve travels as text and is cast back.
        await using var cmd = db.CreateCommand("""
            insert into unit_economics as t
                (workspace_id, channel, arpa_monthly, gross_margin, monthly_churn, retention_curve, annual_discount_rate, clv_override, clv_source, clv_fit_id)
            select @ws, c, a, m, ch, rc::float8[], r, o, s, f
            from unnest(@channel, @arpa, @margin, @churn::float8[], @curve::text[], @rate, @clv::float8[], @source::text[], @fit::uuid[])
                as u(c, a, m, ch, rc, r, o, s, f)
            on conflict (workspace_id, channel) do update set
                arpa_monthly = excluded.arpa_monthly, gross_margin = excluded.gross_margin, monthly_churn = excluded.monthly_churn,
                retention_curve = excluded.retention_curve, annual_discount_rate = excluded.annual_discount_rate,
                clv_override = excluded.clv_override, clv_source = excluded.clv_source, clv_fit_id = excluded.clv_fit_id, updated_at = now()
            where (t.arpa_monthly, t.gross_margin, t.monthly_churn, t.retention_curve, t.annual_discount_rate, t.clv_override, t.clv_source, t.clv_fit_id)
                is distinct from (excluded.arpa_monthly, excluded.gross_margin, excluded.monthly_churn, excluded.retention_curve,
                                  excluded.annual_discount_rate, excluded.clv_override, excluded.clv_source, excluded.clv_fit_id)
            returning (xmax = 0)
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        cmd.Parameters.AddWithValue("channel", rows.Select(r => r.Channel).ToArray());
        cmd.Parameters.AddWithValue("arpa", rows.Select(r => r.ArpaMonthly).ToArray());
        cmd.Parameters.AddWithValue("margin", rows.Select(r => r.GrossMargin).ToArray());
        cmd.Parameters.AddWithValue("churn", rows.Select(r => r.MonthlyChurn).ToArray());
        cmd.Parameters.AddWithValue("curve", rows.Select(r => r.RetentionCurve is null ? null
            : "{" + string.Join(',', r.RetentionCurve.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "}").ToArray());
        cmd.Parameters.AddWithValue("rate", rows.Select(r => r.AnnualDiscountRate).ToArray());
        cmd.Parameters.AddWithValue("clv", rows.Select(r => r.ClvOverride).ToArray());
        cmd.Parameters.AddWithValue("source", rows.Select(r => r.ClvSource == ClvSource.Fitted ? "fitted" : "typed").ToArray());
        cmd.Parameters.AddWithValue("fit", rows.Select(r => r.ClvFitId).ToArray());
        var stored = await Upserts.CountAsync(cmd, rows.Count, ct);
        Telemetry.Ingested("economics", rows.Count);
        return stored;
    }

    public async Task<IReadOnlyList<UnitEconomics>> ListAsync(string ws, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select channel, arpa_monthly, gross_margin, monthly_churn, retention_curve, annual_discount_rate, clv_override, clv_source, clv_fit_id
            from unit_economics where workspace_id = @ws order by channel
            """);
        cmd.Parameters.AddWithValue("ws", ws);
        var items = new List<UnitEconomics>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new UnitEconomics(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetFieldValue<double?>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<double[]>(4), reader.GetDouble(5), reader.GetFieldValue<double?>(6),
                reader.GetString(7) == "fitted" ? ClvSource.Fitted : ClvSource.Typed, reader.GetFieldValue<Guid?>(8)));
        return items;
    }
}
