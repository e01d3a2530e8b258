using SpendOptimizer.Api.Catalogue;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// The catalogue models the services run by name, beside the attribution models <see cref="AttributionRunner"/> checks.
/// The service refuses to start when the catalogue lacks one or its defaults do not build the service's typed parameters
/// (a parameter renamed on one side only), naming the model: never a 500 at request time.
/// </summary>
public static class ServiceModels
{
    public const string LiftCalibration = "lift_calibration";
    public const string Ssa = "ssa";
    public const string BandMip = "band_mip";
    public const string AdstockHill = "adstock_hill";

    public static ModelCatalogue Check(ModelCatalogue catalogue)
    {
        Check(catalogue, LiftCalibration, p => CalibrationService.Rule(p));
        Check(catalogue, Ssa, p => SignalService.Settings(p));
        Check(catalogue, BandMip, p => PlanningParameters.From(p)!);
        Check(catalogue, AdstockHill, p => (CurveFittingService.Priors(p, catalogue.Get(AdstockHill)), CurveFittingService.SharedDemand(p)));
        return catalogue;
    }

    private static void Check(ModelCatalogue catalogue, string name, Func<ResolvedParameters, object> build)
    {
        var model = catalogue.Find(name) ?? throw new InvalidOperationException($"Model catalogue: the services need model '{name}', which no file in the catalogue defines.");
        try
        {
            build(catalogue.Resolve(model, null));
        }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Model catalogue: model '{name}' does not match the service that runs it: {e.Message}", e);
        }
    }
}
