using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Orders, one a row. order_id is optional and, when given, unique in the workspace; the margin comes as gross_margin
/// (a share of revenue, 0–1) or as cost, not both; acquisition_channel is read only for customers not in …/customers.
/// </summary>
public static class OrderUpload
{
    public static readonly TableSchema Schema = new(
        ["order_id", "customer_id", "ordered_at", "revenue", "gross_margin", "cost", "acquisition_channel"],
        ["customer_id", "ordered_at", "revenue"]);

    public static Order Parse(InputRow r)
    {
        var orderId = CustomerMoment.Label(r, "order_id");
        var customer = r.RequiredText("customer_id");
        var at = CustomerMoment.Read(r, "ordered_at");
        var revenue = r.Number("revenue", min: 0);
        var margin = r.OptionalNumber("gross_margin", min: 0, max: 1);
        var cost = r.OptionalNumber("cost", min: 0);
        if (margin is not null && cost is not null) r.Fail("cost", "give gross_margin or cost, not both", r.Text("cost"));
        return new Order(orderId, customer, at, revenue, margin, cost, CustomerMoment.OptionalChannel(r, "acquisition_channel"));
    }

    public static readonly IReadOnlyList<CsvColumn<Order>> Columns =
    [
        CsvColumn<Order>.Text("order_id", o => o.OrderId),
        CsvColumn<Order>.Text("customer_id", o => o.CustomerId),
        CsvColumn<Order>.Timestamp("ordered_at", o => o.OrderedAt),
        CsvColumn<Order>.Money("revenue", o => o.Revenue),
        CsvColumn<Order>.Share("gross_margin", o => o.GrossMargin),
        CsvColumn<Order>.Money("cost", o => o.Cost),
        CsvColumn<Order>.Text("acquisition_channel", o => o.AcquisitionChannel),
    ];
}
