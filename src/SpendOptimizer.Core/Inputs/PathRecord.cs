using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Core.Inputs;

/// <summary>An aggregated path in ChannelAttribution's shape.</summary>
public sealed record PathRecord(
    ChannelPath Path,
    double TotalConversions,
    double TotalConversionValue,
    double TotalNull);
