using SpendOptimizer.Api.Csv;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>Columns of PUT …/performance and of its list, and how one row is read.</summary>
public static class PerformanceUpload
{
    public static readonly TableSchema Schema = new(
        ["date", "channel", "spend", "impressions", "clicks", "conversions", "revenue", "new_customers"],
        ["date", "channel", "spend"]);

    public static PerformanceRow Parse(InputRow r, Grain grain) => new(
        r.Date("date"),
        r.Channel(),
        r.Number("spend", min: 0),
        r.Count("impressions"),
        r.Count("clicks"),
        r.Number("conversions", 0, min: 0),
        r.Number("revenue", 0, min: 0),
        r.Number("new_customers", 0, min: 0),
        grain);

    public static readonly IReadOnlyList<CsvColumn<PerformanceRow>> Columns =
    [
        CsvColumn<PerformanceRow>.Date("date", p => p.Date),
        CsvColumn<PerformanceRow>.Text("channel", p => p.Channel),
        CsvColumn<PerformanceRow>.Text("grain", p => p.Grain.ToString().ToLowerInvariant()),
        CsvColumn<PerformanceRow>.Number("spend", p => p.Spend),
        CsvColumn<PerformanceRow>.Integer("impressions", p => p.Impressions),
        CsvColumn<PerformanceRow>.Integer("clicks", p => p.Clicks),
        CsvColumn<PerformanceRow>.Number("conversions", p => p.Conversions),
        CsvColumn<PerformanceRow>.Number("revenue", p => p.Revenue),
        CsvColumn<PerformanceRow>.Number("new_customers", p => p.NewCustomers),
    ];
}
