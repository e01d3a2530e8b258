namespace SpendOptimizer.Core.Attribution;

/// <summary>One attribution model: how its typed parameters are read from catalogue values, and how it runs.</summary>
public sealed class AttributionModel
{
    private readonly Func<IParameterValues, AttributionParameters> _read;
    private readonly Func<PathSet, AttributionParameters, AttributionLimits, CancellationToken, AttributionResult> _run;

    private AttributionModel(string name, Func<IParameterValues, AttributionParameters> read,
        Func<PathSet, AttributionParameters, AttributionLimits, CancellationToken, AttributionResult> run)
    {
        Name = name;
        _read = read;
        _run = run;
    }

    public string Name { get; }

    public static AttributionModel Create<T>(string name, Func<IParameterValues, T> read, Func<PathSet, T, AttributionLimits, CancellationToken, AttributionResult> run)
        where T : AttributionParameters =>
        new(name, v => read(v), (paths, p, limits, ct) => p is T typed
            ? run(paths, typed, limits, ct)
            : throw new ArgumentException($"model '{name}' takes {typeof(T).Name}, not {p.GetType().Name}", nameof(p)));

    /// <summary>The model's typed parameters; throws <see cref="KeyNotFoundException"/> or <see cref="ArgumentException"/> when a value is missing or not one the model knows.</summary>
    public AttributionParameters Parameters(IParameterValues values) => _read(values);

    public AttributionResult Run(PathSet paths, AttributionParameters parameters, AttributionLimits limits, CancellationToken ct = default) =>
        _run(paths, parameters, limits, ct);
}

/// <summary>
/// Every attribution model by the name the catalogue (models/attribution.json) gives it: the one dispatch that
/// the API and the command line share. Parameter defaults live in the catalogue only.
/// </summary>
public static class AttributionModels
{
    public static IReadOnlyList<AttributionModel> All { get; } =
    [
        Heuristic(HeuristicModel.FirstTouch),
        Heuristic(HeuristicModel.LastTouch),
        Heuristic(HeuristicModel.Linear),
        AttributionModel.Create("time_decay", v => new TimeDecayParameters(v.Number("half_life")),
            (paths, p, _, _) => HeuristicAttribution.Run(paths, HeuristicModel.TimeDecay, halfLife: p.HalfLife)),
        AttributionModel.Create("position_based", v => new PositionBasedParameters(v.Number("first_share"), v.Number("last_share")),
            (paths, p, _, _) => HeuristicAttribution.Run(paths, HeuristicModel.PositionBased, firstShare: p.FirstShare, lastShare: p.LastShare)),
        AttributionModel.Create("markov",
            v => new MarkovParameters(Whole(v, "order"), MarkovCollapseNames.Parse(v.Choice("collapse_repeats")), v.Number("tolerance")),
            (paths, p, limits, ct) => MarkovAttribution.Run(paths, p.Order, p.Collapse, p.Tolerance, includeTransitions: false,
                maxStates: limits.MaxMarkovStates, ct: ct)),
        AttributionModel.Create("shapley", _ => NoParameters.Instance, (paths, _, _, ct) => ShapleyAttribution.Run(paths, ct)),
        AttributionModel.Create("shapley_count", _ => NoParameters.Instance, (paths, _, _, _) => ShapleyCountAttribution.Run(paths)),
        AttributionModel.Create("data_driven", v => new DataDrivenParameters(Whole(v, "seed")), (paths, p, limits, ct) =>
        {
            var (result, quality) = DataDrivenAttribution.Run(paths, p.Seed, limits.MaxFeatureCells, ct);
            return result with { DataDriven = quality };
        }),
    ];

    private static readonly Dictionary<string, AttributionModel> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static AttributionModel? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The five heuristic models, in the order of <see cref="HeuristicModel"/>.</summary>
    public static IReadOnlyList<AttributionModel> Heuristics { get; } =
        Enum.GetValues<HeuristicModel>().Select(m => ByName[HeuristicAttribution.Name(m)]).ToList();

    private static AttributionModel Heuristic(HeuristicModel model) =>
        AttributionModel.Create(HeuristicAttribution.Name(model), _ => NoParameters.Instance, (paths, _, _, _) => HeuristicAttribution.Run(paths, model));

    private static int Whole(IParameterValues values, string name)
    {
        var d = values.Number(name);
        return d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
            ? (int)d
            : throw new ArgumentException($"{name} must be a whole number, got {d}", nameof(values));
    }
}
