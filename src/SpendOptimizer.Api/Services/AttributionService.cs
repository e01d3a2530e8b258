using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Api.Services;

/// <summary>Attribution runs: checks a request against the catalogue, builds the paths, runs the model and stores the run.</summary>
public sealed class AttributionService(ModelCatalogue catalogue, JourneyPathStore journeys, AttributionRunStore runs, TimeProvider clock,
    IOptions<SpendOptimizerOptions> options)
{
    /// <summary>Runs the named model over the workspace's journeys (or stored paths) and stores the run.</summary>
    public async Task<Outcome<AttributionRunResponse>> RunAsync(string ws, CreateAttributionRunRequest request, CancellationToken ct)
    {
        var model = catalogue.Find(request.Model ?? "");
        if (model is not { Stage: "attribution" })
            return new Outcome<AttributionRunResponse>.Invalid(new Dictionary<string, string[]>
            {
                ["model"] = [$"'{request.Model}' is not an attribution model; use one of {string.Join(", ", catalogue.Models.Where(m => m.Stage == "attribution").Select(m => m.Name))}"],
            });
        var parameters = catalogue.Resolve(model, request.Parameters);
        var errors = parameters.Errors.ToDictionary();
        if (request.Source is not (null or "touchpoints" or "paths")) errors["source"] = ["must be touchpoints or paths"];
        if (request.From > request.To) errors["to"] = ["is before from"];
        if (request.Source == "paths" && (request.From is not null || request.To is not null))
            errors["from"] = ["stored paths carry no dates; a window applies to touchpoints only"];
        if (errors.Count > 0) return new Outcome<AttributionRunResponse>.Invalid(errors);

        WorkProgress.Report("building paths", 0, 2, "steps");
        var fromTouchpoints = request.Source switch { "touchpoints" => true, "paths" => false, _ => await journeys.HasTouchpointsAsync(ws, ct) };
        var pathSet = fromTouchpoints
            ? await journeys.AggregateAsync(ws, request.From, request.To, ct)
            : await journeys.StoredPathsAsync(ws, ct);
        if (pathSet.Count == 0)
            return new Outcome<AttributionRunResponse>.Invalid(new Dictionary<string, string[]>
            {
                ["source"] = [fromTouchpoints ? "no journeys with touches in this window" : "no stored paths; PUT …/paths first"],
            });

        WorkProgress.Report($"running {model.Name} over {pathSet.Count:N0} paths", 1, 2, "steps");
        using var activity = Telemetry.Source.StartActivity("attribution run")?.SetTag("spendoptimizer.model", model.Name).SetTag("spendoptimizer.paths", pathSet.Count);
        var (result, diagnostics) = AttributionRunner.Run(pathSet, parameters, options.Value, ct);
        var totalConversions = result.Credits.Sum(c => c.Conversions);
        var run = new AttributionRunResponse(
            Guid.CreateVersion7(), model.Name, parameters.Values, fromTouchpoints ? "touchpoints" : "paths",
            request.From, request.To, pathSet.TotalConversions + pathSet.TotalNulls, pathSet.Count, result.TotalConversions, result.TotalValue,
            clock.GetUtcNow(), diagnostics,
            result.Credits
                .OrderByDescending(c => c.Conversions).ThenBy(c => c.Channel, StringComparer.Ordinal)
                .Select(c => new ChannelCreditResponse(c.Channel, c.Conversions, c.Value,
                    totalConversions > 0 ? c.Conversions / totalConversions : 0, c.RemovalEffect))
                .ToList());
        await runs.SaveAsync(ws, run, ct);
        return run;
    }
}
