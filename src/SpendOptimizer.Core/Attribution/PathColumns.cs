namespace SpendOptimizer.Core.Attribution;

/// <summary>Where a path table's fields sit in a line of <paramref name="Count"/> fields; -1 for an absent optional column.</summary>
public sealed record PathColumns(int Count, int Path, int Conversions, int Value, int Nulls)
{
    /// <summary>The last field a line must reach for every column to be read.</summary>
    internal int Last => Math.Max(Math.Max(Path, Conversions), Math.Max(Value, Nulls));
}
