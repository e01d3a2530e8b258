using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;

namespace SpendOptimizer.Api.Ingest;

/// <summary>Subscriptions, one a row: ended_at stays empty while the subscription is active.</summary>
public static class SubscriptionUpload
{
    public static readonly TableSchema Schema = new(
        ["customer_id", "started_at", "ended_at", "mrr", "acquisition_channel"],
        ["customer_id", "started_at", "mrr", "acquisition_channel"]);

    public static Subscription Parse(InputRow r)
    {
        var customer = r.RequiredText("customer_id");
        var started = CustomerMoment.Read(r, "started_at");
        var ended = CustomerMoment.Optional(r, "ended_at");
        if (ended is { } e && !r.Failed && e < started) r.Fail("ended_at", "is before started_at", r.Text("ended_at"));
        var mrr = r.Number("mrr", min: 0);
        return new Subscription(customer, started, ended, mrr, r.Channel("acquisition_channel"));
    }

    public static readonly IReadOnlyList<CsvColumn<Subscription>> Columns =
    [
        CsvColumn<Subscription>.Text("customer_id", s => s.CustomerId),
        CsvColumn<Subscription>.Timestamp("started_at", s => s.StartedAt),
        CsvColumn<Subscription>.Timestamp("ended_at", s => s.EndedAt),
        CsvColumn<Subscription>.Money("mrr", s => s.Mrr),
        CsvColumn<Subscription>.Text("acquisition_channel", s => s.AcquisitionChannel),
    ];
}
