namespace SpendOptimizer.Core;

/// <summary>
/// A problem bigger than a stated limit, refused before it can exhaust memory or time; <see cref="Field"/> names
/// the input to change.
/// </summary>
public sealed class TooLargeException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
