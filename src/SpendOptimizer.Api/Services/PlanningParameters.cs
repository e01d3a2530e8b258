using System.Text.Json;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Api.Services;

/// <summary>The <c>band_mip</c> model's parameters, read from the resolved catalogue entry once, by name, here only.</summary>
/// <param name="ObjectiveName">The objective as the request and the answer spell it.</param>
/// <param name="Values">Every value by its catalogue name, as a plan echoes the settings it was made with.</param>
public sealed record PlanningParameters(double BandMin, double BandMax, double MaxPaybackMonths, double MinClvCac, Objective Objective,
    string ObjectiveName, int Draws, double CautionQuantile, double LimitConfidence, int TestValueLines,
    IReadOnlyDictionary<string, JsonElement> Values)
{
    /// <summary>The typed parameters, or null when the overrides were refused (<see cref="ResolvedParameters.Errors"/> says why).</summary>
    public static PlanningParameters? From(ResolvedParameters p) => p.Errors.Count > 0 ? null
        : new(p.Number("band_min"), p.Number("band_max"), p.Number("max_payback_months"), p.Number("min_clv_cac"),
            Enum.Parse<Objective>(p.Choice("objective"), ignoreCase: true), p.Choice("objective"), p.Integer("draws"),
            p.Number("caution_quantile"), p.Number("limit_confidence"), p.Integer("test_value_lines"), p.Values);

    /// <summary>The limits a plan is held to, or none when the request's limit scope is none.</summary>
    public (double? Payback, double? ClvCac) Limits(bool apply) => apply ? (MaxPaybackMonths, MinClvCac) : (null, null);
}
