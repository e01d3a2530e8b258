namespace SpendOptimizer.Core.Attribution;

/// <summary>A model's parameter values by their catalogue names (models/attribution.json), already checked against the catalogue.</summary>
public interface IParameterValues
{
    double Number(string name);

    string Choice(string name);
}

/// <summary>The typed parameters of one attribution model.</summary>
public abstract record AttributionParameters;

public sealed record NoParameters : AttributionParameters
{
    public static readonly NoParameters Instance = new();
}

public sealed record TimeDecayParameters(double HalfLife) : AttributionParameters;

public sealed record PositionBasedParameters(double FirstShare, double LastShare) : AttributionParameters;

public sealed record MarkovParameters(int Order, MarkovCollapse Collapse, double Tolerance) : AttributionParameters;

public sealed record DataDrivenParameters(int Seed) : AttributionParameters;

/// <summary>Bounds on a run's size; past them a model throws <see cref="TooLargeException"/> before it runs out of memory.</summary>
public sealed record AttributionLimits(int MaxMarkovStates = int.MaxValue, long MaxFeatureCells = long.MaxValue)
{
    public static readonly AttributionLimits None = new();
}
