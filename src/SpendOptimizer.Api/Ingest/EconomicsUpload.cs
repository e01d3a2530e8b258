using System.Globalization;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Unit economics per channel, or for every channel with channel "all". Retention is a monthly churn rate,
/// or a survival curve by month written "1;0.8;0.7" (a JSON list works too). clv_source fitted takes the CLV from a
/// customer-value fit (clv_fit_id, default the newest) instead: the channel's group, or the pooled fit for a channel without customers.
/// </summary>
public static class EconomicsUpload
{
    public const double DefaultAnnualDiscountRate = 0.10;

    public static readonly TableSchema Schema = new(
        ["channel", "arpa_monthly", "gross_margin", "monthly_churn", "retention_curve", "annual_discount_rate", "clv_override", "clv_source", "clv_fit_id"],
        ["channel", "arpa_monthly", "gross_margin"]);

    public static UnitEconomics Parse(InputRow r)
    {
        var channel = r.Channel();
        var arpa = r.Number("arpa_monthly", min: 0);
        var margin = r.Number("gross_margin", min: 0, max: 1);
        var churn = r.OptionalNumber("monthly_churn", min: 0, max: 1);
        if (churn == 0) r.Fail("monthly_churn", "must be greater than 0 (use clv_override for customers who never leave)", "0");
        var curve = ParseCurve(r);
        var rate = r.Number("annual_discount_rate", DefaultAnnualDiscountRate, min: 0, max: 1);
        var clv = r.OptionalNumber("clv_override", min: 0);
        var source = ParseSource(r);
        var fitId = ParseFitId(r, source);
        if (source == ClvSource.Fitted && clv is not null)
            r.Fail("clv_override", "give clv_override or clv_source fitted, not both", r.Text("clv_override"));
        if (churn is null && curve is null && clv is null && source == ClvSource.Typed && !r.Failed)
            r.Fail("monthly_churn", "give monthly_churn, retention_curve or clv_override (or clv_source fitted)");
        return new UnitEconomics(channel, arpa, margin, churn, curve, rate, clv, source, fitId);
    }

    private static ClvSource ParseSource(InputRow r)
    {
        var text = r.Text("clv_source");
        if (text is null || text.Equals("typed", StringComparison.OrdinalIgnoreCase)) return ClvSource.Typed;
        if (text.Equals("fitted", StringComparison.OrdinalIgnoreCase)) return ClvSource.Fitted;
        r.Fail("clv_source", "must be typed (the default) or fitted", text);
        return ClvSource.Typed;
    }

    private static Guid? ParseFitId(InputRow r, ClvSource source)
    {
        var text = r.Text("clv_fit_id");
        if (text is null) return null;
        if (!Guid.TryParse(text, out var id))
        {
            r.Fail("clv_fit_id", "is not the id of a customer-value fit", text);
            return null;
        }
        if (source != ClvSource.Fitted) r.Fail("clv_fit_id", "applies only with clv_source fitted", text);
        return id;
    }

    private static double[]? ParseCurve(InputRow r)
    {
        var text = r.Text("retention_curve");
        if (text is null) return null;
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        var curve = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out curve[i]) || curve[i] is < 0 or > 1)
            {
                r.Fail("retention_curve", $"month {i}: '{ProblemBounds.Excerpt(parts[i])}' is not a survival share between 0 and 1", text);
                return null;
            }
            if (i > 0 && curve[i] > curve[i - 1])
            {
                r.Fail("retention_curve", $"month {i}: survival rises from {parts[i - 1]} to {parts[i]}; it can only fall", text);
                return null;
            }
        }
        return curve;
    }

    public static readonly IReadOnlyList<CsvColumn<UnitEconomics>> Columns =
    [
        CsvColumn<UnitEconomics>.Text("channel", e => e.Channel),
        CsvColumn<UnitEconomics>.Money("arpa_monthly", e => e.ArpaMonthly),
        CsvColumn<UnitEconomics>.Share("gross_margin", e => e.GrossMargin),
        CsvColumn<UnitEconomics>.Share("monthly_churn", e => e.MonthlyChurn),
        CsvColumn<UnitEconomics>.Text("retention_curve", e => e.RetentionCurve is null ? null
            : string.Join(';', e.RetentionCurve.Select(v => CellKinds.Format(CellKind.Share, v)))),
        CsvColumn<UnitEconomics>.Share("annual_discount_rate", e => e.AnnualDiscountRate),
        CsvColumn<UnitEconomics>.Money("clv_override", e => e.ClvOverride),
        CsvColumn<UnitEconomics>.Text("clv_source", e => e.ClvSource == ClvSource.Fitted ? "fitted" : "typed"),
        CsvColumn<UnitEconomics>.Text("clv_fit_id", e => e.ClvFitId?.ToString()),
    ];
}
