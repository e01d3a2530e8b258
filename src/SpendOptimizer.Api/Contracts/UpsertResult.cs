using SpendOptimizer.Core.Forecasting;

namespace SpendOptimizer.Api.Contracts;

/// <summary>What an upsert did: rows new to the store, rows changed, and rows already stored as sent.</summary>
public sealed record UpsertResult(int Received, int Inserted, int Updated, int Unchanged);

/// <summary>A performance upsert, with the uploaded weeks whose spend or conversions look anomalous.</summary>
public sealed record PerformanceUpsertResult(int Received, int Inserted, int Updated, int Unchanged, IReadOnlyList<WeeklyAnomaly> Anomalies);
