using System.Globalization;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Unit economics per channel, or for every channel with channel "all". Retention is a monthly churn rate,
/// or a survival curve by month written "1;0.8;0.7" (a JSON list works too).
/// </summary>
public static class EconomicsUpload
{
    public const double DefaultAnnualDiscountRate = 0.10;

    public static readonly TableSchema Schema = new(
        ["channel", "arpa_monthly", "gross_margin", "monthly_churn", "retention_curve", "annual_discount_rate", "clv_override"],
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
        if (churn is null && curve is null && clv is null && !r.Failed)
            r.Fail("monthly_churn", "give monthly_churn, retention_curve or clv_override");
        return new UnitEconomics(channel, arpa, margin, churn, curve, rate, clv);
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
    ];
}
