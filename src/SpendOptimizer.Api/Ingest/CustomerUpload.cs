using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;

namespace SpendOptimizer.Api.Ingest;

/// <summary>Customers, one a row: when and through which channel each was acquired, with optional segment and plan.</summary>
public static class CustomerUpload
{
    public static readonly TableSchema Schema = new(
        ["customer_id", "acquired_at", "acquisition_channel", "segment", "plan"],
        ["customer_id", "acquired_at", "acquisition_channel"]);

    public static Customer Parse(InputRow r) => new(
        r.RequiredText("customer_id"), CustomerMoment.Read(r, "acquired_at"), r.Channel("acquisition_channel"),
        CustomerMoment.Label(r, "segment"), CustomerMoment.Label(r, "plan"));

    public static readonly IReadOnlyList<CsvColumn<Customer>> Columns =
    [
        CsvColumn<Customer>.Text("customer_id", c => c.CustomerId),
        CsvColumn<Customer>.Timestamp("acquired_at", c => c.AcquiredAt),
        CsvColumn<Customer>.Text("acquisition_channel", c => c.AcquisitionChannel),
        CsvColumn<Customer>.Text("segment", c => c.Segment),
        CsvColumn<Customer>.Text("plan", c => c.Plan),
    ];
}
