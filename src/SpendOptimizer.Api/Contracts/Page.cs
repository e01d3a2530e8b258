namespace SpendOptimizer.Api.Contracts;

/// <summary>One page of a list. Pass <see cref="NextCursor"/> as ?cursor= to read the next page; null on the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
