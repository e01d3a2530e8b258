using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Contracts;

/// <summary>A stored lift test, flat, with the same names as its CSV columns; stderr is derived from the interval when not given.</summary>
public sealed record LiftTestResponse(
    string Id, string Channel, LiftTestKind Kind, DateOnly Start, DateOnly End,
    double? IncrementalConversions, double? IncrementalRevenue,
    double Stderr, double? CiLower, double? CiUpper, double CiLevel,
    double? AttributedConversions, double? Spend)
{
    public static LiftTestResponse From(LiftTest t) => new(
        t.Id, t.Channel, t.Kind, t.Start, t.End, t.IncrementalConversions, t.IncrementalRevenue,
        t.Uncertainty.EffectiveStandardError, t.Uncertainty.CiLower, t.Uncertainty.CiUpper, t.Uncertainty.CiLevel,
        t.AttributedConversions, t.Spend);
}
