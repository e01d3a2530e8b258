namespace SpendOptimizer.Core.Inputs;

public enum LiftTestKind { Geo, Holdout, Time }

/// <summary>
/// A measured lift: what a channel caused during [Start, End], with its uncertainty,
/// next to what attribution credited it with in the same window.
/// </summary>
public sealed record LiftTest(
    string Id,
    string Channel,
    LiftTestKind Kind,
    DateOnly Start,
    DateOnly End,
    double? IncrementalConversions,
    double? IncrementalRevenue,
    LiftUncertainty Uncertainty,
    double? AttributedConversions,
    double? Spend);
