namespace SpendOptimizer.Core.Inputs;

/// <summary>One channel's totals for the week starting <see cref="Week"/> (the workspace's week start); <see cref="Days"/> days of it have data (a weekly row counts 7).</summary>
public sealed record WeeklyPerformance(DateOnly Week, string Channel, double Spend, double Conversions, double Revenue, double NewCustomers, int Days);
