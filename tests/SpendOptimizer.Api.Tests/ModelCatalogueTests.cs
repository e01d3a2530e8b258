using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ModelCatalogueTests(ApiFactory factory)
{
    [Fact]
    public async Task ModelsRouteServesEveryStageWithDefaultsAndCsvHasOneRowPerParameter()
    {
        using var client = factory.CreateClient();
        var models = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        var byName = models.EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(["allocation", "attribution", "forecasting", "incrementality", "response"],
            byName.Values.Select(m => m.GetProperty("stage").GetString()!).Distinct().Order());
        var order = byName["markov"].GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "order");
        Assert.Equal(1, order.GetProperty("default").GetInt32());
        Assert.Equal(4, order.GetProperty("max").GetDouble());

        var csv = (await client.GetStringAsync("/v1/models?format=csv")).TrimEnd().Split("\r\n");
        var expectedRows = byName.Values.Sum(m => Math.Max(1, m.GetProperty("parameters").GetArrayLength()));
        Assert.Equal(expectedRows + 1, csv.Length);
        Assert.StartsWith("model,stage,parameter,type,default,min,max,prior,description", csv[0]);
    }

    [Fact]
    public void OverridesAreAppliedAndUnknownOrOutOfBoundsNamesAreErrors()
    {
        var catalogue = factory.Services.GetRequiredService<ModelCatalogue>();
        var markov = catalogue.Find("markov")!;
        Assert.Equal("states", catalogue.Resolve(markov, null).Choice("collapse_repeats"));
        var ok = catalogue.Resolve(markov, Parse("""{"order": 3, "collapse_repeats": "channels"}"""));
        Assert.Empty(ok.Errors);
        Assert.Equal(3, ok.Integer("order"));
        Assert.Equal("channels", ok.Choice("collapse_repeats"));
        Assert.Equal(1e-12, ok.Number("tolerance"));

        var bad = catalogue.Resolve(markov, Parse("""{"order": 5, "ordre": 2, "collapse_repeats": "yes"}"""));
        Assert.Contains("≤ 4", bad.Errors["parameters.order"][0]);
        Assert.Contains("has no parameter 'ordre'", bad.Errors["parameters.ordre"][0]);
        Assert.Contains("must be one of states, channels", bad.Errors["parameters.collapse_repeats"][0]);
        // The boolean of earlier versions is not read as either choice.
        var boolean = catalogue.Resolve(markov, Parse("""{"collapse_repeats": true}"""));
        Assert.Contains("must be one of states, channels", boolean.Errors["parameters.collapse_repeats"][0]);
    }

    [Theory]
    [InlineData("recommendations", """{"parameters":{"objective":"x\udc00"}}""", "parameters.objective")]
    [InlineData("response-curves/fit", """{"calibration":{"untested_prior":"\ud800\u0041"}}""", "calibration.untested_prior")]
    [InlineData("attribution-runs", """{"model":"markov","source":"paths","parameters":{"collapse_repeats":"\udfff"}}""", "parameters.collapse_repeats")]
    public async Task AChoiceNoStringCanHoldIsRefusedNamingItsParameter(string route, string body, string field)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var problem = await (await client.PostAsync($"/v1/workspaces/{ws.Id}/{route}", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ReadProblemAsync(400);
        Assert.Contains("must be one of", problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public void LoadingABadCatalogueFileFailsNamingFileModelAndParameter()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "bad.json"), """
                [{ "name": "m", "stage": "response", "description": "d",
                   "parameters": [{ "name": "theta", "type": "number", "description": "d", "default": 2, "min": 0, "max": 0.9 }] }]
                """);
            var e = Assert.Throws<InvalidOperationException>(() => ModelCatalogue.Load(dir.FullName, ApiFactory.Json));
            Assert.Contains("bad.json", e.Message);
            Assert.Contains("'m'", e.Message);
            Assert.Contains("'theta'", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
