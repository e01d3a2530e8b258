namespace SpendOptimizer.Api.Contracts;

/// <summary>A completed touchpoint load: every row stored, in one transaction.</summary>
public sealed record TouchpointLoadResult(Guid LoadId, long Rows, long Touches, long Conversions);
