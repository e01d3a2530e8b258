using System.ComponentModel;
using System.Text.Json;

namespace SpendOptimizer.Api.Contracts;

/// <summary>What to attribute, and how.</summary>
/// <param name="Model">A model of stage "attribution" in GET /v1/models: first_touch, last_touch, linear, time_decay, position_based, markov, shapley, shapley_count, data_driven.</param>
/// <param name="Source">"touchpoints" (stored journeys, turned into paths inside PostgreSQL) or "paths" (stored aggregated paths). Default: touchpoints when any are stored, else paths.</param>
/// <param name="From">First day of the window (journeys ending on or after it); touchpoints only.</param>
/// <param name="To">Last day of the window; touchpoints only.</param>
/// <param name="Parameters">Overrides of the model's defaults by name, e.g. {"order": 2}.</param>
public sealed record CreateAttributionRunRequest(
    [property: DefaultValue("markov")] string Model,
    string? Source = null,
    DateOnly? From = null,
    DateOnly? To = null,
    Dictionary<string, JsonElement>? Parameters = null);

/// <summary>One channel's credit, in ChannelAttribution's column names.</summary>
public sealed record ChannelCreditResponse(string ChannelName, double TotalConversions, double TotalConversionValue, double Share, double? RemovalEffect);

/// <summary>A stored attribution run.</summary>
public sealed record AttributionRunResponse(
    Guid Id,
    string Model,
    IReadOnlyDictionary<string, JsonElement> Parameters,
    string Source,
    DateOnly? From,
    DateOnly? To,
    double Journeys,
    int DistinctPaths,
    double TotalConversions,
    double TotalConversionValue,
    DateTimeOffset CreatedAt,
    JsonElement Diagnostics,
    IReadOnlyList<ChannelCreditResponse> Channels);
