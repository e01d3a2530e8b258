namespace SpendOptimizer.Api.Ingest;

/// <summary>A customer-data time: an ISO date (taken as midnight UTC) or an ISO timestamp.</summary>
public static class CustomerMoment
{
    public static DateTimeOffset Read(InputRow r, string column) =>
        r.Text(column) is { Length: 10 }
            ? new DateTimeOffset(r.Date(column).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : r.Timestamp(column);

    /// <summary>An optional time: null when blank.</summary>
    public static DateTimeOffset? Optional(InputRow r, string column) => r.Text(column) is null ? null : Read(r, column);

    /// <summary>An optional short label (segment, plan, order id); longer than 200 characters fails the row.</summary>
    public static string? Label(InputRow r, string column)
    {
        var v = r.Text(column);
        if (v is { Length: > 200 }) r.Fail(column, "is longer than 200 characters", v[..40] + "…");
        return v;
    }

    /// <summary>An optional channel name, checked as every channel is.</summary>
    public static string? OptionalChannel(InputRow r, string column) => r.Text(column) is null ? null : r.Channel(column);
}
