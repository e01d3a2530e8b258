using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Contracts;

/// <summary>What to fit curves on.</summary>
/// <param name="From">First week of history used (default: all).</param>
/// <param name="To">Last week of history used.</param>
/// <param name="AttributionRunId">Attributed conversions come from this run's channel shares, and its journey credit informs untested
/// channels; default: the performance table's conversions and the latest run.</param>
/// <param name="Parameters">Overrides of the adstock_hill model (prior means of theta, alpha, kappa_ratio; min_weeks, min_spend_cv).</param>
/// <param name="Calibration">Overrides of the lift_calibration model (prior_mean, prior_sd, age_half_life_days, spend_distance_scale, untested_prior).</param>
/// <param name="UseLiftTests">false fits on attributed conversions as they are (factor 1), to compare with trusting attribution.</param>
public sealed record FitResponseCurvesRequest(
    DateOnly? From = null, DateOnly? To = null, Guid? AttributionRunId = null,
    Dictionary<string, JsonElement>? Parameters = null, Dictionary<string, JsonElement>? Calibration = null, bool UseLiftTests = true);

/// <summary>A parameter with its sd and 90% interval.</summary>
public sealed record EstimateResponse(double Value, double Sd,
    [property: JsonPropertyName("lower_90")] double Lower90, [property: JsonPropertyName("upper_90")] double Upper90);

/// <summary>One point of a curve: sustained weekly spend → weekly incremental conversions, and the slope there (null where infinite, at 0 spend for α &lt; 1).</summary>
public sealed record CurvePoint(double Spend, double Response, double? Marginal);

/// <summary>A channel's fitted steady-state curve g(s) = β·Hill(s/(1−θ); κ, α), on calibrated incremental conversions.</summary>
public sealed record ResponseCurveResponse(
    string Channel,
    EstimateResponse Theta, EstimateResponse Alpha, EstimateResponse Kappa, EstimateResponse Beta,
    double? RSquared, double? Mape, double ResidualSd, int Weeks, double MeanSpend, double CurrentSpend,
    double FactorMean, double FactorSd, double RevenuePerConversion, double NewCustomersPerConversion,
    IReadOnlyList<string> Warnings, IReadOnlyList<CurvePoint> Points);

/// <summary>A stored set of curves, one per channel.</summary>
public sealed record ResponseFitResponse(Guid Id, DateTimeOffset CreatedAt, DateOnly? From, DateOnly? To, Guid? AttributionRunId,
    IReadOnlyList<ResponseCurveResponse> Curves);
