using System.Text.Json;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Api.Services;

/// <summary>Runs a catalogue attribution model through the Core registry, with its typed parameters read from the resolved catalogue values.</summary>
public static class AttributionRunner
{
    /// <summary>The model's credits and what a dashboard needs to trust them (solve status, model quality).</summary>
    /// <param name="limits">Bounds on the model's size; a bigger problem throws <see cref="Core.TooLargeException"/>.</param>
    public static (AttributionResult Result, JsonElement Diagnostics) Run(PathSet paths, ResolvedParameters p, SpendOptimizerOptions limits, CancellationToken ct)
    {
        var model = AttributionModels.Find(p.Model) ?? throw new InvalidOperationException($"attribution model '{p.Model}' has no implementation");
        var result = model.Run(paths, model.Parameters(new Values(p)), new AttributionLimits(limits.MaxMarkovStates, limits.MaxFeatureCells), ct);
        return (result, Diagnostics(result));
    }

    /// <summary>
    /// Stops the start when a catalogue attribution model has no implementation, or its implementation cannot read
    /// the model's catalogue defaults (a parameter renamed on one side only); the message names the model.
    /// </summary>
    public static ModelCatalogue CheckImplemented(ModelCatalogue catalogue)
    {
        foreach (var def in catalogue.Models.Where(m => m.Stage == "attribution"))
        {
            var model = AttributionModels.Find(def.Name)
                ?? throw new InvalidOperationException($"Model catalogue: attribution model '{def.Name}' has no implementation; implemented are {string.Join(", ", AttributionModels.All.Select(m => m.Name))}.");
            try
            {
                model.Parameters(new Values(catalogue.Resolve(def, null)));
            }
            catch (Exception e) when (e is KeyNotFoundException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidOperationException($"Model catalogue: attribution model '{def.Name}' does not match its implementation: {e.Message}", e);
            }
        }
        return catalogue;
    }

    private sealed class Values(ResolvedParameters p) : IParameterValues
    {
        public double Number(string name) => p.Number(name);

        public string Choice(string name) => p.Choice(name);
    }

    private static JsonElement Diagnostics(AttributionResult result) => result switch
    {
        { Markov: { } m } => JsonSerializer.SerializeToElement(new
        {
            order = m.Order,
            collapse_repeats = m.Collapse.Name(),
            states = m.States,
            conversion_probability = m.ConversionProbability,
            value_per_journey = m.ValuePerJourney,
            iterations = m.Iterations,
            residual = m.Residual,
            tolerance = m.Tolerance,
            converged = m.Converged,
        }),
        { DataDriven: { } quality } => JsonSerializer.SerializeToElement(new
        {
            auc = double.IsNaN(quality.Auc) ? (double?)null : quality.Auc,
            train_journeys = quality.TrainWeight,
            holdout_journeys = quality.HoldoutWeight,
        }),
        _ => JsonSerializer.SerializeToElement(new { }),
    };
}
