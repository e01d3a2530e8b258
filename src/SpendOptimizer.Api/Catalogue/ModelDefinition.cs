namespace SpendOptimizer.Api.Catalogue;

/// <summary>One model the service can fit, as written in models/*.json.</summary>
/// <param name="Name">Id used in requests, e.g. "markov".</param>
/// <param name="Stage">Pipeline stage: attribution, incrementality, response, allocation or forecasting.</param>
/// <param name="Sums">Limits on the sum of several number parameters, checked after a request's overrides.</param>
public sealed record ModelDefinition(string Name, string Stage, string Description, IReadOnlyList<ModelParameter> Parameters,
    IReadOnlyList<ParameterSum>? Sums = null);

/// <summary>The named parameters may add up to at most <paramref name="Max"/> (e.g. position-based shares ≤ 1).</summary>
public sealed record ParameterSum(IReadOnlyList<string> Parameters, double Max);

/// <summary>A tunable parameter with its default, its bounds and, for fitted parameters, its prior.</summary>
/// <param name="Type">number, integer, boolean or choice.</param>
/// <param name="Choices">Allowed values when Type is choice.</param>
public sealed record ModelParameter(
    string Name,
    string Type,
    string Description,
    System.Text.Json.JsonElement Default,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? Choices = null,
    Prior? Prior = null);

/// <summary>A prior over a fitted parameter: normal or lognormal with mean and sd (of the log for lognormal).</summary>
public sealed record Prior(string Distribution, double Mean, double Sd);
