using System.Text.Json.Nodes;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>The models the services run by name are checked against the catalogue when the service starts, not at request time.</summary>
public sealed class ServiceModelsTests
{
    private static string CatalogueFolder() => Path.Combine(RepositoryFiles.Root(), "models");

    /// <summary>A copy of the catalogue folder with <paramref name="file"/> changed by <paramref name="edit"/>, loaded.</summary>
    private static ModelCatalogue Edited(string file, Action<JsonArray> edit)
    {
        var dir = Directory.CreateTempSubdirectory("spendopt-models-");
        try
        {
            foreach (var f in Directory.GetFiles(CatalogueFolder(), "*.json")) File.Copy(f, Path.Combine(dir.FullName, Path.GetFileName(f)));
            var path = Path.Combine(dir.FullName, file);
            var models = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
            edit(models);
            File.WriteAllText(path, models.ToJsonString());
            return ModelCatalogue.Load(dir.FullName, ApiFactory.Json);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void TheShippedCatalogueHasEveryModelTheServicesRunAndItsDefaultsBuildTheirParameters()
    {
        var catalogue = ServiceModels.Check(ModelCatalogue.Load(CatalogueFolder(), ApiFactory.Json));
        var planning = PlanningParameters.From(catalogue.Resolve(catalogue.Get(ServiceModels.BandMip), null))!;
        Assert.True(planning.BandMin < planning.BandMax);
        Assert.Equal(planning.ObjectiveName, planning.Values["objective"].GetString());
    }

    [Fact]
    public void AServiceModelMissingAParameterItsServiceReadsStopsTheStartNamingBoth()
    {
        var catalogue = Edited("allocation.json", models =>
        {
            var parameters = models.Single(m => (string?)m!["name"] == "band_mip")!["parameters"]!.AsArray();
            parameters.Remove(parameters.Single(p => (string?)p!["name"] == "draws"));
        });
        var e = Assert.Throws<InvalidOperationException>(() => ServiceModels.Check(catalogue));
        Assert.Contains("'band_mip'", e.Message);
        Assert.Contains("draws", e.Message);
    }

    [Fact]
    public void ACatalogueWithoutAModelTheServicesRunStopsTheStartNamingIt()
    {
        var catalogue = Edited("response.json", models => models.Clear());
        var e = Assert.Throws<InvalidOperationException>(() => ServiceModels.Check(catalogue));
        Assert.Contains("'adstock_hill'", e.Message);
    }
}
