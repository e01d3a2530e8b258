namespace SpendOptimizer.Core.Attribution;

/// <summary>A path table that cannot be read; the message names the input and the line.</summary>
public sealed class PathTableException(string message) : Exception(message);
