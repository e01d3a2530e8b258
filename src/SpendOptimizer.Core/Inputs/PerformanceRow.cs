namespace SpendOptimizer.Core.Inputs;

/// <summary>How long the period that starts at <see cref="PerformanceRow.Date"/> lasts.</summary>
public enum Grain { Day, Week }

/// <summary>One channel's spend and results for one day or one week.</summary>
public sealed record PerformanceRow(
    DateOnly Date,
    string Channel,
    double Spend,
    long Impressions,
    long Clicks,
    double Conversions,
    double Revenue,
    double NewCustomers,
    Grain Grain);
