namespace SpendOptimizer.Core.Inputs;

/// <summary>A journey event: a touch on a channel, or the journey's conversion (channel empty, with its value).</summary>
public sealed record Touchpoint(
    string JourneyId,
    DateTimeOffset Timestamp,
    TouchpointEvent Event,
    string Channel,
    string? Campaign,
    double Value);

public enum TouchpointEvent { Touch = 0, Conversion = 1 }
