namespace SpendOptimizer.Core.Inputs;

/// <summary>Stored rows of the other grain that a row of an upload (<see cref="Date"/>, <see cref="Channel"/>) overlaps: <see cref="Count"/> of them, dated <see cref="First"/> to <see cref="Last"/>.</summary>
public sealed record GrainClash(DateOnly Date, string Channel, DateOnly First, DateOnly Last, int Count);
