using System.Globalization;
using System.Text.Json.Nodes;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Cli;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Api.Tests;

/// <summary>The API and the command line run attribution models through one registry, with the catalogue's defaults.</summary>
[Collection(ApiCollection.Name)]
public sealed class AttributionRegistryTests
{
    private static string CatalogueFolder() => Path.Combine(RepositoryFiles.Root(), "models");

    /// <summary>A copy of the catalogue folder with attribution.json changed by <paramref name="edit"/>.</summary>
    private static DirectoryInfo EditedCatalogue(Action<JsonArray> edit)
    {
        var dir = Directory.CreateTempSubdirectory("spendopt-models-");
        foreach (var file in Directory.GetFiles(CatalogueFolder(), "*.json")) File.Copy(file, Path.Combine(dir.FullName, Path.GetFileName(file)));
        var attribution = Path.Combine(dir.FullName, "attribution.json");
        var models = JsonNode.Parse(File.ReadAllText(attribution))!.AsArray();
        edit(models);
        File.WriteAllText(attribution, models.ToJsonString());
        return dir;
    }

    private static JsonNode Model(JsonArray models, string name) => models.Single(m => (string?)m!["name"] == name)!;

    [Fact]
    public void EveryCatalogueAttributionModelHasAnImplementationAndEveryImplementationIsInTheCatalogue()
    {
        var catalogue = AttributionRunner.CheckImplemented(ModelCatalogue.Load(CatalogueFolder(), ApiFactory.Json));
        Assert.Equal(catalogue.Models.Where(m => m.Stage == "attribution").Select(m => m.Name).Order(), AttributionModels.All.Select(m => m.Name).Order());
    }

    [Fact]
    public void ACatalogueModelWhoseParametersTheImplementationCannotReadStopsTheStartNamingIt()
    {
        var dir = EditedCatalogue(models => Model(models, "markov")["parameters"]!.AsArray()
            .Remove(Model(models, "markov")["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "collapse_repeats")));
        try
        {
            var catalogue = ModelCatalogue.Load(dir.FullName, ApiFactory.Json);
            var e = Assert.Throws<InvalidOperationException>(() => AttributionRunner.CheckImplemented(catalogue));
            Assert.Contains("'markov'", e.Message);
            Assert.Contains("collapse_repeats", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task TheServiceRefusesToStartWhenTheCatalogueNamesAnAttributionModelWithoutImplementation()
    {
        var dir = EditedCatalogue(models => models.Add(new JsonObject
        {
            ["name"] = "mystery_touch",
            ["stage"] = "attribution",
            ["description"] = "Not implemented anywhere.",
            ["parameters"] = new JsonArray(),
        }));
        try
        {
            await using var host = new ApiFactory { Configure = b => b.UseSetting("SpendOptimizer:ModelsPath", dir.FullName) };
            var e = Assert.ThrowsAny<Exception>(() => host.CreateClient());
            var messages = new List<string>();
            for (var x = (Exception?)e; x is not null; x = x.InnerException) messages.Add(x.Message);
            Assert.Contains(messages, m => m.Contains("'mystery_touch' has no implementation", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private const string Paths = "path,total_conversions,total_conversion_value,total_null\na > b > b > b > c,1,10,0\nb > b,0,0,1\nc > a,2,8,3\n";

    private static Dictionary<string, double> RunCli(string folder, params string[] options)
    {
        var paths = Path.Combine(folder, "paths.csv");
        var output = Path.Combine(folder, "credits.csv");
        File.WriteAllText(paths, Paths);
        Assert.Equal(0, AttributeCommand.Run(new Arguments([paths, "--out", output, .. options])));
        return File.ReadAllLines(output).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheCommandLineTakesItsDefaultsFromTheCatalogueFile()
    {
        var work = Directory.CreateTempSubdirectory("spendopt-cli-");
        var edited = EditedCatalogue(models =>
        {
            var parameters = Model(models, "markov")["parameters"]!.AsArray();
            parameters.Single(p => (string?)p!["name"] == "order")!["default"] = 2;
            parameters.Single(p => (string?)p!["name"] == "collapse_repeats")!["default"] = "channels";
        });
        try
        {
            var pathSet = PathSet.From(Paths.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
                .Select(f => new Core.Inputs.PathRecord(ChannelPath.TryParse(f[0], out _)!, double.Parse(f[1]), double.Parse(f[2]), double.Parse(f[3]))));
            void Same(AttributionResult expected, Dictionary<string, double> credits)
            {
                Assert.Equal(expected.Credits.Count, credits.Count);
                foreach (var c in expected.Credits) Assert.Equal(c.Conversions, credits[c.Channel], 12);
            }
            var statesOrderTwo = MarkovAttribution.Run(pathSet, 2);
            var channelsOrderTwo = MarkovAttribution.Run(pathSet, 2, MarkovCollapse.Channels);
            Assert.NotEqual(statesOrderTwo["a"]!.Conversions, channelsOrderTwo["a"]!.Conversions, 6);

            // The catalogue the command carries (order 1, states), then an edited one (order 2, channels) and options over it.
            Same(MarkovAttribution.Run(pathSet), RunCli(work.FullName));
            var catalogue = Path.Combine(edited.FullName, "attribution.json");
            Same(channelsOrderTwo, RunCli(work.FullName, "--catalogue", catalogue));
            Same(statesOrderTwo, RunCli(work.FullName, "--catalogue", catalogue, "--collapse", "states"));
            Same(ShapleyAttribution.Run(pathSet), RunCli(work.FullName, "--model", "shapley"));

            var bad = Assert.Throws<UsageException>(() => RunCli(work.FullName, "--collapse", "true"));
            Assert.Contains("--collapse must be one of states, channels", bad.Message);
            var unknown = Assert.Throws<UsageException>(() => RunCli(work.FullName, "--model", "magic"));
            Assert.Contains("shapley_count", unknown.Message);
        }
        finally
        {
            work.Delete(true);
            edited.Delete(true);
        }
    }
}
