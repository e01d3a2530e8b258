using System.ComponentModel;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Contracts;

/// <summary>How KPIs are bucketed.</summary>
public enum KpiGrain { Week, Month, Total }

/// <summary>
/// One channel, or the blend of all channels (channel "all"), over one period: as reported (attributed) and as caused
/// (incremental = reported × the channel's incrementality factor).
/// </summary>
/// <param name="Period">First day of the period: a Monday for weeks, the 1st for months, the window's start for total.</param>
/// <param name="Factor">Incrementality factor used (for "all": incremental / reported conversions).</param>
/// <param name="PaybackMonths">CAC / (ARPA · gross margin); null without unit economics.</param>
/// <param name="ClvCac">CLV / CAC; null without unit economics.</param>
/// <param name="Clv">CLV of a new customer of the channel, as plans take it (null for "all", or without unit economics).</param>
/// <param name="ClvSource">Where <paramref name="Clv"/> comes from: typed or fitted (the channel's economics row).</param>
/// <param name="TypedClv">What the typed economics give (for a fitted row only when it states churn, a retention curve or a CLV).</param>
/// <param name="FittedClv">What the customer-value fit gives, whatever the source (the fit the row names, else the newest;
/// the channel's group, else the pooled fit; null without a fit), with its 90% interval over parameter draws.</param>
public sealed record KpiRow(
    DateOnly Period, string Channel, double Spend,
    double Conversions, double Revenue, double NewCustomers, double? Cac, double? Roas, double? PaybackMonths, double? ClvCac,
    double Factor, double? FactorLower90, double? FactorUpper90,
    double IncrementalConversions, double IncrementalRevenue, double IncrementalNewCustomers,
    double? IncrementalCac, double? IncrementalRoas, double? IncrementalPaybackMonths, double? IncrementalClvCac,
    double? Clv = null, ClvSource? ClvSource = null, double? TypedClv = null, double? FittedClv = null, double? FittedClvLower90 = null,
    double? FittedClvUpper90 = null);

/// <summary>KPIs per period and channel, with the blend of all channels last in each period.</summary>
public sealed record KpiResponse(KpiGrain Grain, DateOnly? From, DateOnly? To, DateOnly FactorsAsOf, IReadOnlyList<KpiRow> Rows);

/// <summary>Query of GET …/kpis.</summary>
public sealed record KpiQuery
{
    /// <summary>First day included (yyyy-MM-dd).</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day included (yyyy-MM-dd).</summary>
    public DateOnly? To { get; init; }

    /// <summary>week (default), month or total.</summary>
    [DefaultValue("week"), QueryChoices(typeof(KpiGrain), CheckedWithTheQuery = true)]
    public string? Grain { get; init; }

    /// <summary>"csv" or "json"; overrides the Accept header.</summary>
    [QueryChoices("json", "csv")]
    public string? Format { get; init; }
}
