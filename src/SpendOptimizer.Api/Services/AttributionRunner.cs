using System.Text.Json;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Api.Services;

/// <summary>Maps a catalogue model and its resolved parameters onto the Core attribution models.</summary>
public static class AttributionRunner
{
    /// <summary>The model's credits and what a dashboard needs to trust them (solve status, model quality).</summary>
    /// <param name="limits">Bounds on the model's size; a bigger problem throws <see cref="Core.TooLargeException"/>.</param>
    public static (AttributionResult Result, JsonElement Diagnostics) Run(PathSet paths, ResolvedParameters p, SpendOptimizerOptions limits, CancellationToken ct)
    {
        if (p.Model == "data_driven")
        {
            var (result, quality) = DataDrivenAttribution.Run(paths, p.Integer("seed"), limits.MaxFeatureCells, ct);
            return (result, JsonSerializer.SerializeToElement(new
            {
                auc = double.IsNaN(quality.Auc) ? (double?)null : quality.Auc,
                train_journeys = quality.TrainWeight,
                holdout_journeys = quality.HoldoutWeight,
            }));
        }
        var closedForm = RunClosedForm(paths, p, limits, ct);
        return (closedForm, Diagnostics(closedForm));
    }

    private static AttributionResult RunClosedForm(PathSet paths, ResolvedParameters p, SpendOptimizerOptions limits, CancellationToken ct) => p.Model switch
    {
        "first_touch" => HeuristicAttribution.Run(paths, HeuristicModel.FirstTouch),
        "last_touch" => HeuristicAttribution.Run(paths, HeuristicModel.LastTouch),
        "linear" => HeuristicAttribution.Run(paths, HeuristicModel.Linear),
        "time_decay" => HeuristicAttribution.Run(paths, HeuristicModel.TimeDecay, halfLife: p.Number("half_life")),
        "position_based" => HeuristicAttribution.Run(paths, HeuristicModel.PositionBased,
            firstShare: p.Number("first_share"), lastShare: p.Number("last_share")),
        "markov" => MarkovAttribution.Run(paths, p.Integer("order"), p.Flag("collapse_repeats"), p.Number("tolerance"),
            includeTransitions: false, maxStates: limits.MaxMarkovStates, ct: ct),
        "shapley" => ShapleyAttribution.Run(paths),
        _ => throw new NotSupportedException($"attribution model '{p.Model}' has no implementation"),
    };

    private static JsonElement Diagnostics(AttributionResult result) => result.Markov is { } m
        ? JsonSerializer.SerializeToElement(new
        {
            order = m.Order,
            collapsed_repeats = m.CollapsedRepeats,
            states = m.States,
            conversion_probability = m.ConversionProbability,
            value_per_journey = m.ValuePerJourney,
            iterations = m.Iterations,
            residual = m.Residual,
            tolerance = m.Tolerance,
            converged = m.Converged,
        })
        : JsonSerializer.SerializeToElement(new { });
}
