using System.ComponentModel;

namespace SpendOptimizer.Api.Contracts;

/// <summary>A completed load of customers, orders or subscriptions: every row stored, in one transaction.</summary>
public sealed record CustomerLoadResult(Guid LoadId, string Kind, long Rows);

/// <summary>A customer as uploaded: when and through which channel it was acquired.</summary>
public sealed record Customer(string CustomerId, DateTimeOffset AcquiredAt, string AcquisitionChannel, string? Segment, string? Plan);

/// <summary>One order. The margin is given as a share of revenue (gross_margin) or as a cost, or not at all.</summary>
/// <param name="AcquisitionChannel">Used only for a customer absent from …/customers, from its first order naming one.</param>
public sealed record Order(string? OrderId, string CustomerId, DateTimeOffset OrderedAt, double Revenue, double? GrossMargin, double? Cost,
    string? AcquisitionChannel);

/// <summary>One subscription; EndedAt is null while it is active.</summary>
public sealed record Subscription(string CustomerId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double Mrr, string AcquisitionChannel);

/// <summary>Where retention reads activity from.</summary>
public enum RetentionSource { Orders, Subscriptions }

/// <summary>Query of GET …/retention and GET …/retention/triangle.</summary>
public sealed record RetentionQuery
{
    /// <summary>acquisition_channel (default): one row per channel and cohort; none: one row per cohort.</summary>
    [DefaultValue("acquisition_channel"), QueryChoices("acquisition_channel", "none")]
    public string? By { get; init; }

    /// <summary>month (default), week (ISO, from Monday) or quarter of acquisition, in UTC.</summary>
    [DefaultValue("month"), QueryChoices("month", "week", "quarter")]
    public string? Cohort { get; init; }

    /// <summary>orders or subscriptions; by default orders when the workspace has any, else subscriptions.</summary>
    [QueryChoices(typeof(RetentionSource))]
    public string? Source { get; init; }

    /// <summary>"csv" or "json"; overrides the Accept header.</summary>
    [QueryChoices("json", "csv")]
    public string? Format { get; init; }
}

/// <summary>Query of GET …/retention/triangle: the retention query and how many months since acquisition to show.</summary>
public sealed record TriangleQuery
{
    /// <inheritdoc cref="RetentionQuery.By"/>
    [DefaultValue("acquisition_channel"), QueryChoices("acquisition_channel", "none")]
    public string? By { get; init; }

    /// <inheritdoc cref="RetentionQuery.Cohort"/>
    [DefaultValue("month"), QueryChoices("month", "week", "quarter")]
    public string? Cohort { get; init; }

    /// <inheritdoc cref="RetentionQuery.Source"/>
    [QueryChoices(typeof(RetentionSource))]
    public string? Source { get; init; }

    /// <summary>Last month since acquisition shown, 1 to 60 (default 12): columns m0 … m{months}.</summary>
    [DefaultValue(12), System.ComponentModel.DataAnnotations.Range(1, 60)]
    public int? Months { get; init; }

    /// <inheritdoc cref="RetentionQuery.Format"/>
    [QueryChoices("json", "csv")]
    public string? Format { get; init; }
}

/// <summary>
/// One share of customers still active a given time after acquisition. Only customers whose window has fully elapsed
/// by the data's last date count (Eligible); Share is null when none has.
/// </summary>
public sealed record RetentionShare(long Eligible, long Retained, double? Share);

/// <summary>Retention and revenue figures of one cohort (and channel, unless by=none).</summary>
/// <param name="Channel">Acquisition channel; null for by=none.</param>
/// <param name="Cohort">First day of the cohort's week, month or quarter.</param>
/// <param name="MonthlyChurn">1 − the 30-day share, over the same customers.</param>
/// <param name="Arpa">Orders: revenue per customer to the data's last date. Subscriptions: MRR per customer at acquisition.</param>
/// <param name="Aov">Revenue per order; null for subscriptions.</param>
/// <param name="GrossMargin">Margin / revenue over the orders that carry a margin or cost; null without any, and for subscriptions.</param>
/// <param name="Nrr12">Month-12 revenue (MRR) / month-0 revenue (MRR) of the customers whose month 12 has elapsed.</param>
public sealed record RetentionRow(string? Channel, DateOnly Cohort, long Customers,
    RetentionShare Active7d, RetentionShare Active30d, RetentionShare Active90d, RetentionShare Active12m,
    double? MonthlyChurn, long? Orders, double? Revenue, double? Arpa, double? Aov, double? GrossMargin,
    long NrrEligible, double NrrBase, double NrrMonth12, double Expansion, double Contraction, double Churned, double? Nrr12);

/// <summary>Retention per cohort: what was read, up to which day, and one row per channel and cohort.</summary>
public sealed record RetentionReport(RetentionSource Source, string By, string Cohort, DateOnly? LastDate, IReadOnlyList<RetentionRow> Cohorts);

/// <summary>One cohort's row of the triangle: the share active in each month since acquisition (null where not yet elapsed).</summary>
public sealed record TriangleRow(string? Channel, DateOnly Cohort, long Customers, IReadOnlyList<double?> Active);

/// <summary>Share active by month since acquisition, cohorts down and months 0 … Months across.</summary>
public sealed record RetentionTriangle(RetentionSource Source, string By, string Cohort, DateOnly? LastDate, int Months, IReadOnlyList<TriangleRow> Cohorts);
