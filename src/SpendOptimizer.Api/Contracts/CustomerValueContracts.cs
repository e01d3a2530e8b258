using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Contracts;

/// <summary>Body of POST …/customer-value/fit; every field but model has a default.</summary>
/// <param name="Model">bg_nbd: BG/NBD purchases with Gamma–Gamma spend, on orders. sbg: shifted-beta-geometric retention, on subscriptions.</param>
/// <param name="TimeUnit">day, week (default), month (365.25/12 days) or year (365.25 days): the unit of recency, age and the holdout.</param>
/// <param name="CalibrationEnd">Last day (UTC) of the calibration period, included; default the data's last day. Later data is the holdout.</param>
/// <param name="By">acquisition_channel (default): a fit per channel, pulled toward the pooled fit when thin; none: the pooled fit only.</param>
/// <param name="HorizonMonths">Months of future value in the CLV, 1–600 (default 36).</param>
/// <param name="AnnualDiscountRate">Yearly discount rate of the CLV, 0–1 (default 0.1).</param>
/// <param name="Margin">Share of revenue kept, 0–1; default the orders' (gross_margin, or 1 − cost/revenue) over the calibration period, else 1.</param>
public sealed record CustomerValueFitRequest(
    [property: DefaultValue("bg_nbd")] string? Model = null,
    [property: DefaultValue("week")] string? TimeUnit = null,
    DateOnly? CalibrationEnd = null,
    [property: DefaultValue("acquisition_channel")] string? By = null,
    [property: DefaultValue(36)] int? HorizonMonths = null,
    [property: DefaultValue(0.1)] double? AnnualDiscountRate = null,
    double? Margin = null);

/// <summary>A parameter at its maximum-likelihood estimate, with its standard error and 90% interval (null when the information matrix is singular).</summary>
public sealed record CustomerValueParameter(double Estimate, double? StandardError,
    [property: JsonPropertyName("lower_90")] double? Lower90, [property: JsonPropertyName("upper_90")] double? Upper90);

/// <summary>One model's fit in a group: bg_nbd (r, alpha, a, b), gamma_gamma (p, q, gamma) or sbg (alpha, beta).</summary>
/// <param name="LogLikelihood">At the estimate, without the pooling prior.</param>
/// <param name="Customers">Customers (subscribers) that entered this model's fit; gamma_gamma counts repeat buyers only.</param>
/// <param name="PooledWeight">0 when the group's own data decide; near 1 when the estimate is essentially the pooled one.</param>
public sealed record CustomerValueModelFit(string Model, IReadOnlyDictionary<string, CustomerValueParameter> Parameters, double? LogLikelihood,
    double Customers, double PooledWeight);

/// <summary>Margin a new customer brings over the horizon, discounted: at the estimate, and the 5/50/95% points over parameter draws.</summary>
public sealed record CustomerValueClv(double? Point, double? P5, double? Median, double? P95);

/// <summary>The fit's prediction for the calibration customers over (calibration_end, data_end] against what they did: repeat
/// transactions for bg_nbd; for sbg, subscribers still active at data_end.</summary>
/// <param name="Length">The holdout's length in the fit's time unit (months for sbg).</param>
public sealed record CustomerValueHoldout(DateOnly From, DateOnly To, double Length, double Predicted, double Actual);

/// <summary>Customers with this many repeat transactions in calibration (7 is 7 or more): observed, and expected from P(X(T) = x) summed over the customers' ages.</summary>
public sealed record CustomerValueFrequency(int RepeatTransactions, double Observed, double Expected);

/// <summary>One group's fits. Group is the acquisition channel; null for the pooled fit.</summary>
public sealed record CustomerValueGroup(string? Group, double Customers, IReadOnlyList<CustomerValueModelFit> Models, CustomerValueClv Clv,
    CustomerValueHoldout? Holdout, IReadOnlyList<CustomerValueFrequency> Frequency, IReadOnlyList<string> Warnings);

/// <summary>A stored customer-value fit: the conventions it was made with, the pooled fit and one fit per group.</summary>
/// <param name="DataEnd">The source's last day with data (UTC).</param>
/// <param name="MarginSource">request, orders or default (1, no margin known).</param>
public sealed record CustomerValueFitResponse(Guid Id, DateTimeOffset CreatedAt, string Model, string TimeUnit, DateOnly CalibrationEnd, DateOnly DataEnd,
    string By, int HorizonMonths, double AnnualDiscountRate, double Margin, string MarginSource, IReadOnlyList<string> Warnings,
    CustomerValueGroup Pooled, IReadOnlyList<CustomerValueGroup> Groups);
