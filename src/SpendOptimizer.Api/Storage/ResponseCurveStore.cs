using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SpendOptimizer.Core.Response;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Storage;

/// <summary>A stored curve with what later stages need: the model, its covariance for draws, and unit ratios.</summary>
public sealed record StoredCurve(string Channel, HillAdstock Curve, double[] Covariance, double? RSquared, double? Mape, double ResidualSd,
    int Weeks, double MeanSpend, double CurrentSpend, double FactorMean, double FactorSd, double RevenuePerConversion,
    double NewCustomersPerConversion, IReadOnlyList<string> Warnings);

public sealed record StoredFit(Guid Id, DateTimeOffset CreatedAt, DateOnly? From, DateOnly? To, Guid? AttributionRunId, IReadOnlyList<StoredCurve> Curves);

/// <summary>A fit made but not stored yet, with the settings it is stored under.</summary>
public sealed record UnsavedFit(StoredFit Fit, JsonElement Parameters);

public sealed class ResponseCurveStore(NpgsqlDataSource db)
{
    public async Task SaveAsync(string ws, StoredFit fit, JsonElement parameters, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await SaveAsync(conn, tx, ws, fit, parameters, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Inside the caller's transaction, so a plan that fitted its own curves stores them with itself or not at all.</summary>
    public static async Task SaveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string ws, StoredFit fit, JsonElement parameters, CancellationToken ct)
    {
        await using (var cmd = new NpgsqlCommand("""
            insert into response_fits (id, workspace_id, window_from, window_to, attribution_run_id, parameters, created_at)
            values (@id, @ws, @from, @to, @run, @parameters, @created)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", fit.Id);
            cmd.Parameters.AddWithValue("ws", ws);
            cmd.Parameters.AddWithValue("from", (object?)fit.From ?? DBNull.Value);
            cmd.Parameters.AddWithValue("to", (object?)fit.To ?? DBNull.Value);
            cmd.Parameters.AddWithValue("run", (object?)fit.AttributionRunId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("parameters", NpgsqlDbType.Jsonb, parameters.GetRawText());
            cmd.Parameters.AddWithValue("created", fit.CreatedAt);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        foreach (var c in fit.Curves)
        {
            await using var cmd = new NpgsqlCommand("""
                insert into response_curves (fit_id, channel, theta, alpha, kappa, beta, covariance, r_squared, mape, residual_sd, weeks,
                    mean_spend, current_spend, factor_mean, factor_sd, revenue_per_conversion, new_customers_per_conversion, warnings)
                values (@fit, @channel, @theta, @alpha, @kappa, @beta, @cov, @r2, @mape, @sd, @weeks, @mean, @current, @fm, @fs, @rpc, @ncpc, @warnings)
                """, conn, tx);
            cmd.Parameters.AddWithValue("fit", fit.Id);
            cmd.Parameters.AddWithValue("channel", c.Channel);
            cmd.Parameters.AddWithValue("theta", c.Curve.Theta);
            cmd.Parameters.AddWithValue("alpha", c.Curve.Alpha);
            cmd.Parameters.AddWithValue("kappa", c.Curve.Kappa);
            cmd.Parameters.AddWithValue("beta", c.Curve.Beta);
            cmd.Parameters.AddWithValue("cov", c.Covariance);
            cmd.Parameters.AddWithValue("r2", (object?)Finite(c.RSquared) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("mape", (object?)Finite(c.Mape) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("sd", c.ResidualSd);
            cmd.Parameters.AddWithValue("weeks", c.Weeks);
            cmd.Parameters.AddWithValue("mean", c.MeanSpend);
            cmd.Parameters.AddWithValue("current", c.CurrentSpend);
            cmd.Parameters.AddWithValue("fm", c.FactorMean);
            cmd.Parameters.AddWithValue("fs", c.FactorSd);
            cmd.Parameters.AddWithValue("rpc", c.RevenuePerConversion);
            cmd.Parameters.AddWithValue("ncpc", c.NewCustomersPerConversion);
            cmd.Parameters.AddWithValue("warnings", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(c.Warnings));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The given fit, or the newest one when <paramref name="id"/> is null.</summary>
    public async Task<StoredFit?> GetAsync(string ws, Guid? id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        Guid fitId;
        DateTimeOffset created;
        DateOnly? from, to;
        Guid? run;
        await using (var cmd = new NpgsqlCommand("""
            select id, created_at, window_from, window_to, attribution_run_id from response_fits
            where workspace_id = @ws and (@id::uuid is null or id = @id) order by created_at desc limit 1
            """, conn))
        {
            cmd.Parameters.AddWithValue("ws", ws);
            cmd.Parameters.AddWithValue("id", (object?)id ?? DBNull.Value);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            fitId = r.GetGuid(0);
            created = r.GetFieldValue<DateTimeOffset>(1);
            from = r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2);
            to = r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3);
            run = r.IsDBNull(4) ? null : r.GetGuid(4);
        }
        var curves = new List<StoredCurve>();
        await using (var cmd = new NpgsqlCommand("""
            select channel, theta, alpha, kappa, beta, covariance, r_squared, mape, residual_sd, weeks, mean_spend, current_spend,
                   factor_mean, factor_sd, revenue_per_conversion, new_customers_per_conversion, warnings::text
            from response_curves where fit_id = @id order by channel
            """, conn))
        {
            cmd.Parameters.AddWithValue("id", fitId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                curves.Add(new StoredCurve(r.GetString(0), new HillAdstock(r.GetDouble(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4)),
                    r.GetFieldValue<double[]>(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetDouble(7), r.GetDouble(8),
                    r.GetInt32(9), r.GetDouble(10), r.GetDouble(11), r.GetDouble(12), r.GetDouble(13), r.GetDouble(14), r.GetDouble(15),
                    JsonSerializer.Deserialize<string[]>(r.GetString(16))!));
        }
        return new StoredFit(fitId, created, from, to, run, curves);
    }
}
